// The store's schema as forward-only migrations. Migration N takes a database at version N-1 to
// version N inside one transaction; a database newer than the last migration here is refused
// rather than guessed at. Never edit a released migration: append a new one.

export interface Migration {
  version: number;
  /** What the migration does, for `schema_version.note`. */
  note: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    note: 'devices with identity history, evidence, findings, alerts, baselines, capture runs',
    sql: `
      CREATE TABLE capture_runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        inputs TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        first_ts REAL,
        last_ts REAL,
        packets INTEGER NOT NULL DEFAULT 0,
        dropped INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'running',
        stats TEXT
      );
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        mac TEXT,
        category TEXT,
        medical INTEGER NOT NULL DEFAULT 0,
        first_seen REAL,
        last_seen REAL,
        data TEXT NOT NULL,
        first_run INTEGER,
        last_run INTEGER
      );
      CREATE TABLE device_identity (
        device_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        first_seen REAL,
        last_seen REAL,
        first_run INTEGER,
        last_run INTEGER,
        PRIMARY KEY (device_id, field, value)
      ) WITHOUT ROWID;
      CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        device TEXT NOT NULL,
        title TEXT NOT NULL,
        detail TEXT NOT NULL,
        remediation TEXT NOT NULL,
        cves TEXT NOT NULL,
        extra TEXT,
        status TEXT NOT NULL,
        first_seen REAL,
        last_seen REAL,
        resolved_at REAL,
        first_run INTEGER,
        last_run INTEGER
      );
      CREATE INDEX findings_device ON findings (device);
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        device TEXT NOT NULL,
        peer TEXT,
        first_ts REAL NOT NULL,
        last_ts REAL NOT NULL,
        count INTEGER NOT NULL,
        why TEXT NOT NULL,
        first_run INTEGER,
        last_run INTEGER
      );
      CREATE INDEX alerts_device ON alerts (device);
      CREATE INDEX alerts_last_ts ON alerts (last_ts);
      CREATE TABLE evidence (
        owner_kind TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        fact TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT NOT NULL,
        file TEXT NOT NULL,
        packet INTEGER NOT NULL,
        ts REAL NOT NULL,
        UNIQUE (owner_kind, owner_id, fact, value, source, file, packet)
      );
      CREATE TABLE baselines (
        device TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        first_ts REAL NOT NULL,
        last_ts REAL NOT NULL,
        count INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (device, kind, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    note: 'answered conversations (originator, responder, transport, port) for wardline policy',
    sql: `
      CREATE TABLE conversations (
        orig TEXT NOT NULL,
        resp TEXT NOT NULL,
        proto TEXT NOT NULL,
        port INTEGER NOT NULL,
        service TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_ts REAL NOT NULL,
        last_ts REAL NOT NULL,
        first_where TEXT NOT NULL,
        PRIMARY KEY (orig, resp, proto, port)
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
