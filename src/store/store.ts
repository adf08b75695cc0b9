// The persistent store: devices (first/last seen, identity history), evidence, findings
// (open/resolved), alerts, behaviour baselines and capture runs, merged across runs. The only
// module that writes SQL.
//
// Writes are queued in memory and committed in one transaction per flush (every
// `flushIntervalMs`, or when the queue grows past `maxPending`), so a killed process loses at
// most what was queued since the last flush and the database is never half-written. Every id is
// deterministic (device ids from the inventory, finding and alert ids from hashes of what they
// describe, evidence unique by its whole content), so analysing the same capture twice merges
// into the same rows instead of adding new ones.
import type { Device, Evidence, Finding, Severity } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import { openDb, type Db } from './db.js';
import { scrubEvidence, scrubJson } from './scrub.js';
import type { Conversation } from '../policy/conversations.js';

export interface StoreOptions {
  /** Most milliseconds between commits of queued writes (what a crash can lose). Default 1000. */
  flushIntervalMs?: number;
  /** Queued items that force a flush before the interval is up. Default 20000. */
  maxPending?: number;
  /** Evidence rows kept per device, finding or alert (the first ones win). Default 200. */
  maxEvidencePerOwner?: number;
  /** Entries kept per device in each identity list (ips, hostnames …) when runs merge. Default 256. */
  maxListEntries?: number;
  /** Wall clock for capture_runs.started_at/ended_at (tests inject one). */
  now?: () => Date;
  /** Open read-only (report, serve). */
  readonly?: boolean;
}

export type RunKind = 'analyze' | 'monitor';
export type RunStatus = 'running' | 'complete' | 'incomplete' | 'interrupted' | 'failed';

export interface RunRecord {
  id: number;
  kind: RunKind;
  inputs: string[];
  started_at: string | null;
  ended_at: string | null;
  first_ts: number | null;
  last_ts: number | null;
  packets: number;
  dropped: number;
  status: RunStatus;
  stats: Record<string, unknown> | null;
}

export interface RunEnd {
  status: RunStatus;
  first_ts?: number | null;
  last_ts?: number | null;
  packets?: number;
  dropped?: number;
  stats?: Record<string, unknown>;
}

export type FindingStatus = 'open' | 'resolved';

export interface StoredFinding extends Finding {
  status: FindingStatus;
  first_seen: number | null;
  last_seen: number | null;
  resolved_at: number | null;
}

export interface IdentityRecord {
  field: string;
  value: string;
  first_seen: number | null;
  last_seen: number | null;
}

export interface BaselineRow {
  device: string;
  kind: string;
  key: string;
  first_ts: number;
  last_ts: number;
  count: number;
  value: number | null;
}

/** When a fact was seen: a run's capture time span, used where the object has no times itself. */
export interface SeenSpan {
  first: number | null;
  last: number | null;
}

const FINDING_FIELDS = new Set(['id', 'rule', 'severity', 'device', 'title', 'detail', 'evidence', 'remediation', 'cves']);
const LIST_FIELDS = ['ips', 'hostnames', 'software', 'services', 'protocols'] as const;

interface PendingDevice {
  d: Device;
  run: number | null;
  seen: SeenSpan;
}
interface PendingFinding {
  f: Finding;
  run: number | null;
  seen: SeenSpan;
}
interface PendingAlert {
  a: Alert;
  run: number | null;
}

const SEVERITY_RANK_SQL = (col: string): string =>
  `(CASE ${col} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;

export class Store {
  readonly db: Db;
  readonly flushIntervalMs: number;
  private readonly maxPending: number;
  private readonly maxEvidence: number;
  private readonly maxList: number;
  private readonly now: () => Date;
  private devicesQ = new Map<string, PendingDevice>();
  private findingsQ = new Map<string, PendingFinding>();
  private resolveQ = new Map<string, number>();
  private alertsQ = new Map<string, PendingAlert>();
  private baselinesQ = new Map<string, BaselineRow>();
  private conversationsQ = new Map<string, Conversation>();
  private lastFlush = Date.now();
  /** Commits done and items written, for stats. */
  flushes = 0;
  written = 0;
  private readonly stmts: ReturnType<Store['prepare']> | null;

  private constructor(db: Db, opts: StoreOptions) {
    this.db = db;
    this.flushIntervalMs = opts.flushIntervalMs ?? 1000;
    this.maxPending = opts.maxPending ?? 20_000;
    this.maxEvidence = opts.maxEvidencePerOwner ?? 200;
    this.maxList = opts.maxListEntries ?? 256;
    this.now = opts.now ?? (() => new Date());
    this.stmts = opts.readonly === true ? null : this.prepare();
  }

  /** Opens (creating and migrating when needed) the database at `path`. */
  static open(path: string, opts: StoreOptions = {}): Store {
    return new Store(openDb(path, { readonly: opts.readonly }), opts);
  }

  private prepare() {
    const db = this.db;
    return {
      deviceGet: db.prepare('SELECT data, first_seen, last_seen FROM devices WHERE id = ?'),
      deviceUpsert: db.prepare(`
        INSERT INTO devices (id, mac, category, medical, first_seen, last_seen, data, first_run, last_run)
        VALUES (@id, @mac, @category, @medical, @first_seen, @last_seen, @data, @run, @run)
        ON CONFLICT (id) DO UPDATE SET mac = excluded.mac, category = excluded.category, medical = excluded.medical,
          first_seen = excluded.first_seen, last_seen = excluded.last_seen, data = excluded.data,
          last_run = COALESCE(excluded.last_run, devices.last_run)`),
      identityUpsert: db.prepare(`
        INSERT INTO device_identity (device_id, field, value, first_seen, last_seen, first_run, last_run)
        VALUES (@device, @field, @value, @first, @last, @run, @run)
        ON CONFLICT (device_id, field, value) DO UPDATE SET
          first_seen = MIN(COALESCE(device_identity.first_seen, excluded.first_seen), COALESCE(excluded.first_seen, device_identity.first_seen)),
          last_seen = MAX(COALESCE(device_identity.last_seen, excluded.last_seen), COALESCE(excluded.last_seen, device_identity.last_seen)),
          last_run = COALESCE(excluded.last_run, device_identity.last_run)`),
      evidenceCount: db.prepare(`SELECT COUNT(*) AS n FROM evidence WHERE owner_kind = @kind AND owner_id = @owner`),
      evidenceInsert: db.prepare(`
        INSERT OR IGNORE INTO evidence (owner_kind, owner_id, fact, value, source, file, packet, ts)
        VALUES (@kind, @owner, @fact, @value, @source, @file, @packet, @ts)`),
      findingUpsert: db.prepare(`
        INSERT INTO findings (id, rule, severity, device, title, detail, remediation, cves, extra, status, first_seen, last_seen, resolved_at, first_run, last_run)
        VALUES (@id, @rule, @severity, @device, @title, @detail, @remediation, @cves, @extra, 'open', @first, @last, NULL, @run, @run)
        ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, severity = excluded.severity, device = excluded.device,
          title = excluded.title, detail = excluded.detail, remediation = excluded.remediation, cves = excluded.cves,
          extra = excluded.extra, status = 'open', resolved_at = NULL,
          first_seen = MIN(COALESCE(findings.first_seen, excluded.first_seen), COALESCE(excluded.first_seen, findings.first_seen)),
          last_seen = MAX(COALESCE(findings.last_seen, excluded.last_seen), COALESCE(excluded.last_seen, findings.last_seen)),
          last_run = COALESCE(excluded.last_run, findings.last_run)`),
      findingResolve: db.prepare(`UPDATE findings SET status = 'resolved', resolved_at = ? WHERE id = ? AND status = 'open'`),
      alertUpsert: db.prepare(`
        INSERT INTO alerts (id, rule, severity, device, peer, first_ts, last_ts, count, why, first_run, last_run)
        VALUES (@id, @rule, @severity, @device, @peer, @first_ts, @last_ts, @count, @why, @run, @run)
        ON CONFLICT (id) DO UPDATE SET
          severity = CASE WHEN ${SEVERITY_RANK_SQL('excluded.severity')} > ${SEVERITY_RANK_SQL('alerts.severity')} THEN excluded.severity ELSE alerts.severity END,
          why = CASE WHEN excluded.count >= alerts.count THEN excluded.why ELSE alerts.why END,
          first_ts = MIN(alerts.first_ts, excluded.first_ts),
          last_ts = MAX(alerts.last_ts, excluded.last_ts),
          count = MAX(alerts.count, excluded.count),
          last_run = COALESCE(excluded.last_run, alerts.last_run)`),
      baselineUpsert: db.prepare(`
        INSERT INTO baselines (device, kind, key, first_ts, last_ts, count, value)
        VALUES (@device, @kind, @key, @first_ts, @last_ts, @count, @value)
        ON CONFLICT (device, kind, key) DO UPDATE SET
          first_ts = MIN(baselines.first_ts, excluded.first_ts), last_ts = MAX(baselines.last_ts, excluded.last_ts),
          count = excluded.count, value = excluded.value`),
      conversationUpsert: db.prepare(`
        INSERT INTO conversations (orig, resp, proto, port, service, count, first_ts, last_ts, first_where)
        VALUES (@orig, @resp, @proto, @port, @service, @count, @first_ts, @last_ts, @where)
        ON CONFLICT (orig, resp, proto, port) DO UPDATE SET
          first_where = CASE WHEN excluded.first_ts < conversations.first_ts THEN excluded.first_where ELSE conversations.first_where END,
          first_ts = MIN(conversations.first_ts, excluded.first_ts), last_ts = MAX(conversations.last_ts, excluded.last_ts),
          count = conversations.count + excluded.count,
          service = CASE WHEN conversations.service = '' THEN excluded.service ELSE conversations.service END`),
    };
  }

  private get w() {
    if (this.stmts === null) throw new Error('store opened read-only');
    return this.stmts;
  }

  // ---- capture runs (written at once: they mark where a crash happened) ----

  beginRun(kind: RunKind, inputs: string[]): number {
    const r = this.db
      .prepare('INSERT INTO capture_runs (kind, inputs, started_at, status) VALUES (?, ?, ?, ?)')
      .run(kind, JSON.stringify(inputs), this.now().toISOString(), 'running');
    return Number(r.lastInsertRowid);
  }

  /** Flushes what is queued, then records how the run ended. */
  endRun(id: number, end: RunEnd): void {
    this.flush();
    this.db
      .prepare('UPDATE capture_runs SET ended_at = ?, status = ?, first_ts = ?, last_ts = ?, packets = ?, dropped = ?, stats = ? WHERE id = ?')
      .run(
        this.now().toISOString(),
        end.status,
        end.first_ts ?? null,
        end.last_ts ?? null,
        end.packets ?? 0,
        end.dropped ?? 0,
        end.stats === undefined ? null : JSON.stringify(scrubJson(end.stats)),
        id,
      );
  }

  /**
   * Records one finished analysis as a run: its devices, findings and alerts merged into the
   * store in one go (what `analyze --db` calls). Returns the run id.
   */
  saveRun(r: RunEnd & { kind: RunKind; inputs: string[]; devices?: Device[]; findings?: Finding[]; alerts?: Alert[] }): number {
    const id = this.beginRun(r.kind, r.inputs);
    const seen: SeenSpan = { first: r.first_ts ?? null, last: r.last_ts ?? null };
    for (const d of r.devices ?? []) this.putDevice(d, id, seen);
    for (const f of r.findings ?? []) this.putFinding(f, id, seen);
    for (const a of r.alerts ?? []) this.putAlert(a, id);
    this.endRun(id, r);
    return id;
  }

  // ---- queued writes ----

  /** Queues a device; merged with what is stored (lists united, newer identity facts win). */
  putDevice(d: Device, run: number | null = null, seen: SeenSpan = { first: null, last: null }): void {
    const prev = this.devicesQ.get(d.id);
    if (prev !== undefined) {
      this.devicesQ.set(d.id, { d: mergeDevice(prev.d, d, this.maxList), run: run ?? prev.run, seen: widen(prev.seen, seen) });
    } else {
      this.devicesQ.set(d.id, { d, run, seen });
    }
    this.pressure();
  }

  /** Queues a finding as open (re-opening it if it had been resolved). */
  putFinding(f: Finding, run: number | null = null, seen: SeenSpan = { first: null, last: null }): void {
    const prev = this.findingsQ.get(f.id);
    this.findingsQ.set(f.id, { f: prev === undefined ? f : { ...f, evidence: [...prev.f.evidence, ...f.evidence] }, run, seen: prev === undefined ? seen : widen(prev.seen, seen) });
    this.resolveQ.delete(f.id);
    this.pressure();
  }

  /** Queues marking an open finding resolved at network time `ts`. */
  resolveFinding(id: string, ts: number): void {
    this.resolveQ.set(id, ts);
    this.pressure();
  }

  /** Queues an alert; the same id merges (times widened, the larger count kept). */
  putAlert(a: Alert, run: number | null = null): void {
    this.alertsQ.set(a.id, { a, run });
    this.pressure();
  }

  /**
   * Queues a baseline row, merged with one already queued as the upsert merges with the stored
   * row (earliest first_ts, latest last_ts, the newest count and value), so what lands does not
   * depend on when the flushes fell.
   */
  putBaseline(row: BaselineRow): void {
    const k = `${row.device}\u0000${row.kind}\u0000${row.key}`;
    const q = this.baselinesQ.get(k);
    this.baselinesQ.set(k, q === undefined ? row : { ...row, first_ts: Math.min(q.first_ts, row.first_ts), last_ts: Math.max(q.last_ts, row.last_ts) });
    this.pressure();
  }

  /**
   * Queues answered conversations (what `wardline policy --db` allows); the same conversation
   * adds its count, widens its times, keeps its first service name and where it was first seen.
   */
  putConversation(c: Conversation): void {
    const k = `${c.orig}\u0000${c.resp}\u0000${c.proto}\u0000${c.port}`;
    const q = this.conversationsQ.get(k);
    if (q === undefined) this.conversationsQ.set(k, { ...c });
    else {
      if (c.first_ts < q.first_ts) {
        q.first_ts = c.first_ts;
        q.where = c.where;
      }
      q.last_ts = Math.max(q.last_ts, c.last_ts);
      q.count += c.count;
      if (q.service === '') q.service = c.service;
    }
    this.pressure();
  }

  pending(): number {
    return this.devicesQ.size + this.findingsQ.size + this.resolveQ.size + this.alertsQ.size + this.baselinesQ.size + this.conversationsQ.size;
  }

  private pressure(): void {
    if (this.pending() >= this.maxPending) this.flush();
  }

  /** Flushes when the interval has passed; call it often (it only reads the clock). */
  tick(): boolean {
    if (Date.now() - this.lastFlush < this.flushIntervalMs) return false;
    this.flush();
    return true;
  }

  /** Commits everything queued in one transaction; returns how many items were written. */
  flush(): number {
    this.lastFlush = Date.now();
    const n = this.pending();
    if (n === 0) return 0;
    const devices = this.devicesQ;
    const findings = this.findingsQ;
    const resolves = this.resolveQ;
    const alerts = this.alertsQ;
    const baselines = this.baselinesQ;
    const conversations = this.conversationsQ;
    this.devicesQ = new Map();
    this.findingsQ = new Map();
    this.resolveQ = new Map();
    this.alertsQ = new Map();
    this.baselinesQ = new Map();
    this.conversationsQ = new Map();
    this.db.transaction(() => {
      for (const [, p] of [...devices].sort(byKey)) this.writeDevice(p);
      for (const [, p] of [...findings].sort(byKey)) this.writeFinding(p);
      for (const [id, ts] of [...resolves].sort(byKey)) this.w.findingResolve.run(ts, id);
      for (const [, p] of [...alerts].sort(byKey)) this.writeAlert(p);
      for (const [, r] of [...baselines].sort(byKey)) this.w.baselineUpsert.run(r);
      for (const [, c] of [...conversations].sort(byKey)) this.w.conversationUpsert.run(c);
    })();
    this.flushes++;
    this.written += n;
    return n;
  }

  /** At most maxEvidence rows per owner: counted once, then each insert that landed added (a count per row cost a scan of the owner's rows each time). */
  private writeEvidence(kind: string, owner: string, ev: Evidence[]): void {
    if (ev.length === 0) return;
    let n = (this.w.evidenceCount.get({ kind, owner }) as { n: number }).n;
    for (const e0 of ev) {
      if (n >= this.maxEvidence) break;
      const e = scrubEvidence(e0);
      n += this.w.evidenceInsert.run({ kind, owner, fact: e.fact, value: e.value, source: e.source, file: e.file, packet: e.packet, ts: e.ts }).changes;
    }
  }

  private writeDevice(p: PendingDevice): void {
    const old = this.w.deviceGet.get(p.d.id) as { data: string; first_seen: number | null; last_seen: number | null } | undefined;
    const incoming = scrubJson({ ...p.d, evidence: [] as Evidence[] });
    const merged = old === undefined ? incoming : mergeDevice(JSON.parse(old.data) as Device, incoming, this.maxList);
    const first = minOf(old?.first_seen, p.d.first_seen ?? p.seen.first);
    const last = maxOf(old?.last_seen, p.d.last_seen ?? p.seen.last);
    const data: Device = { ...merged, evidence: [] };
    delete data.first_seen;
    delete data.last_seen;
    this.w.deviceUpsert.run({
      id: p.d.id,
      mac: merged.mac,
      category: merged.category,
      medical: merged.medical ? 1 : 0,
      first_seen: first,
      last_seen: last,
      data: JSON.stringify(data),
      run: p.run,
    });
    const idFirst = p.d.first_seen ?? p.seen.first;
    const idLast = p.d.last_seen ?? p.seen.last;
    for (const [field, value] of identityFacts(incoming)) {
      this.w.identityUpsert.run({ device: p.d.id, field, value, first: idFirst, last: idLast, run: p.run });
    }
    this.writeEvidence('device', p.d.id, p.d.evidence);
  }

  private writeFinding(p: PendingFinding): void {
    const f = p.f;
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) if (!FINDING_FIELDS.has(k) && v !== undefined) extra[k] = v;
    const times = f.evidence.map((e) => e.ts).filter((t) => Number.isFinite(t));
    const first = minOf(p.seen.first, times.length ? Math.min(...times) : null);
    const last = maxOf(p.seen.last, times.length ? Math.max(...times) : null);
    this.w.findingUpsert.run({
      id: f.id,
      rule: f.rule,
      severity: f.severity,
      device: f.device,
      title: f.title,
      detail: f.detail,
      remediation: f.remediation,
      cves: JSON.stringify([...f.cves].sort()),
      extra: Object.keys(extra).length ? JSON.stringify(scrubJson(extra)) : null,
      first,
      last,
      run: p.run,
    });
    this.writeEvidence('finding', f.id, f.evidence);
  }

  private writeAlert(p: PendingAlert): void {
    const a = p.a;
    this.w.alertUpsert.run({ id: a.id, rule: a.rule, severity: a.severity, device: a.device, peer: a.peer, first_ts: a.first_ts, last_ts: a.last_ts, count: a.count, why: a.why, run: p.run });
    this.writeEvidence('alert', a.id, a.evidence);
  }

  // ---- reads (sorted, so renderers are deterministic) ----

  private evidenceOf(kind: string): Map<string, Evidence[]> {
    const rows = this.db
      .prepare('SELECT owner_id, fact, value, source, file, packet, ts FROM evidence WHERE owner_kind = ? ORDER BY owner_id, ts, file, packet, fact, value, source')
      .all(kind) as (Evidence & { owner_id: string })[];
    const out = new Map<string, Evidence[]>();
    for (const r of rows) {
      let l = out.get(r.owner_id);
      if (l === undefined) out.set(r.owner_id, (l = []));
      l.push({ fact: r.fact, value: r.value, source: r.source, file: r.file, packet: r.packet, ts: r.ts });
    }
    return out;
  }

  devices(): Device[] {
    const ev = this.evidenceOf('device');
    const rows = this.db.prepare('SELECT id, data, first_seen, last_seen FROM devices ORDER BY id').all() as { id: string; data: string; first_seen: number | null; last_seen: number | null }[];
    return rows.map((r) => {
      const d = JSON.parse(r.data) as Device;
      d.evidence = ev.get(r.id) ?? [];
      if (r.first_seen !== null) d.first_seen = r.first_seen;
      if (r.last_seen !== null) d.last_seen = r.last_seen;
      return d;
    });
  }

  identityHistory(deviceId: string): IdentityRecord[] {
    return this.db
      .prepare('SELECT field, value, first_seen, last_seen FROM device_identity WHERE device_id = ? ORDER BY field, first_seen, value')
      .all(deviceId) as IdentityRecord[];
  }

  findings(): StoredFinding[] {
    const ev = this.evidenceOf('finding');
    const rows = this.db.prepare('SELECT * FROM findings ORDER BY device, rule, id').all() as Record<string, unknown>[];
    return rows.map((r) => {
      const extra = r.extra === null ? {} : (JSON.parse(String(r.extra)) as Record<string, unknown>);
      return {
        ...extra,
        id: String(r.id),
        rule: String(r.rule),
        severity: r.severity as Severity,
        device: String(r.device),
        title: String(r.title),
        detail: String(r.detail),
        evidence: ev.get(String(r.id)) ?? [],
        remediation: String(r.remediation),
        cves: JSON.parse(String(r.cves)) as string[],
        status: r.status as FindingStatus,
        first_seen: r.first_seen as number | null,
        last_seen: r.last_seen as number | null,
        resolved_at: r.resolved_at as number | null,
      };
    });
  }

  alerts(opts: { since?: number } = {}): Alert[] {
    const ev = this.evidenceOf('alert');
    const rows = this.db
      .prepare('SELECT id, rule, severity, device, peer, first_ts, last_ts, count, why FROM alerts WHERE last_ts >= ? ORDER BY first_ts, id')
      .all(opts.since ?? -Infinity) as Omit<Alert, 'evidence'>[];
    return rows.map((r) => ({ ...r, evidence: ev.get(r.id) ?? [] }));
  }

  baselines(device?: string): BaselineRow[] {
    const sql = 'SELECT device, kind, key, first_ts, last_ts, count, value FROM baselines' + (device === undefined ? '' : ' WHERE device = ?') + ' ORDER BY device, kind, key';
    const st = this.db.prepare(sql);
    return (device === undefined ? st.all() : st.all(device)) as BaselineRow[];
  }

  /** The answered conversations kept (analyze --db, monitor --db), in key order. */
  conversations(): Conversation[] {
    const rows = this.db.prepare('SELECT orig, resp, proto, port, service, count, first_ts, last_ts, first_where FROM conversations ORDER BY orig, resp, proto, port').all() as (Omit<Conversation, 'where'> & { first_where: string })[];
    return rows.map(({ first_where, ...r }) => ({ ...r, where: first_where }));
  }

  runs(): RunRecord[] {
    const rows = this.db.prepare('SELECT * FROM capture_runs ORDER BY id').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind as RunKind,
      inputs: JSON.parse(String(r.inputs)) as string[],
      started_at: (r.started_at as string | null) ?? null,
      ended_at: (r.ended_at as string | null) ?? null,
      first_ts: (r.first_ts as number | null) ?? null,
      last_ts: (r.last_ts as number | null) ?? null,
      packets: Number(r.packets),
      dropped: Number(r.dropped),
      status: r.status as RunStatus,
      stats: r.stats === null ? null : (JSON.parse(String(r.stats)) as Record<string, unknown>),
    }));
  }

  /** Row counts per table. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of ['devices', 'device_identity', 'evidence', 'findings', 'alerts', 'baselines', 'conversations', 'capture_runs']) {
      out[t] = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    }
    return out;
  }

  /** SQLite's own integrity check: "ok" when the file is sound. */
  integrityCheck(): string {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  }

  /** Flushes and closes. */
  close(): void {
    if (this.stmts !== null) this.flush();
    this.db.close();
  }
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function minOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.min(a, b);
}

function maxOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.max(a, b);
}

function widen(a: SeenSpan, b: SeenSpan): SeenSpan {
  return { first: minOf(a.first, b.first), last: maxOf(a.last, b.last) };
}

function union(a: string[] | undefined, b: string[] | undefined, max: number): string[] {
  const s = new Set<string>(a ?? []);
  for (const x of b ?? []) s.add(x);
  return [...s].sort().slice(0, max);
}

/**
 * Merges what a new run says about a device into what was known: identity lists are united,
 * scalar facts take the newer value when it has one, risk is the newer assessment.
 */
export function mergeDevice(old: Device, nu: Device, maxList = 256): Device {
  const out: Device = { ...old, ...nu };
  for (const f of LIST_FIELDS) out[f] = union(old[f], nu[f], maxList);
  out.mac = nu.mac ?? old.mac;
  out.vendor = nu.vendor ?? old.vendor;
  out.model = nu.model ?? old.model;
  out.os = nu.os ?? old.os;
  if (nu.category === 'unknown' && old.category !== 'unknown') {
    out.category = old.category;
    if (old.category_reason !== undefined) out.category_reason = old.category_reason;
  }
  out.medical = nu.medical || (nu.category === 'unknown' && old.medical);
  if (old.vlans !== undefined || nu.vlans !== undefined) {
    out.vlans = [...new Set([...(old.vlans ?? []), ...(nu.vlans ?? [])])].sort((x, y) => x - y);
  }
  out.first_seen = minOf(old.first_seen, nu.first_seen) ?? undefined;
  out.last_seen = maxOf(old.last_seen, nu.last_seen) ?? undefined;
  if (out.first_seen === undefined) delete out.first_seen;
  if (out.last_seen === undefined) delete out.last_seen;
  out.evidence = [...old.evidence, ...nu.evidence];
  return out;
}

/** The identity facts whose history is kept: every address, name, vendor, model, category, OS. */
function identityFacts(d: Device): [string, string][] {
  const out: [string, string][] = [];
  if (d.mac !== null) out.push(['mac', d.mac]);
  for (const ip of d.ips) out.push(['ip', ip]);
  for (const h of d.hostnames) out.push(['hostname', h]);
  if (d.vendor !== null) out.push(['vendor', d.vendor]);
  if (d.model !== null) out.push(['model', d.model]);
  out.push(['category', d.category]);
  if (d.os !== null) out.push(['os', d.os.version === null ? d.os.name : `${d.os.name} ${d.os.version}`]);
  return out;
}
