// Opens the SQLite database (better-sqlite3) in WAL mode and brings its schema up to date.
// WAL with synchronous=NORMAL: a committed transaction survives the process being killed (the
// WAL is in the OS's hands once written); a power cut may lose the last commits but never
// corrupts the file (SQLite's "WAL mode, synchronous NORMAL" guarantee).
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export type StoreErrorCode = 'store.open' | 'store.newer_schema' | 'store.migration';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Milliseconds a writer waits for another connection's lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

export function openDb(path: string, opts: { readonly?: boolean } = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  } catch (e) {
    throw new StoreError('store.open', `cannot open database ${path}: ${(e as Error).message}`);
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (opts.readonly !== true) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  try {
    if (opts.readonly === true) checkVersion(db, path);
    else migrate(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (has === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

function checkVersion(db: Db, path: string): number {
  const v = schemaVersion(db);
  if (v > SCHEMA_VERSION) {
    throw new StoreError('store.newer_schema', `${path} was written by a newer wardline (schema ${v}, this one knows up to ${SCHEMA_VERSION}); upgrade wardline to read it`);
  }
  return v;
}

/** Applies every migration above the database's version, each in its own transaction. */
export function migrate(db: Db, path = 'database'): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, note TEXT NOT NULL)');
  const current = checkVersion(db, path);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_version (version, note) VALUES (?, ?)').run(m.version, m.note);
      })();
    } catch (e) {
      throw new StoreError('store.migration', `${path}: migration to schema ${m.version} failed: ${(e as Error).message}`);
    }
  }
}
