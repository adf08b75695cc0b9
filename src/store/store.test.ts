import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Store } from './store.js';
import { StoreError } from './db.js';
import { SCHEMA_VERSION } from './schema.js';
import { rng } from '../testutil/fuzz.js';
import type { Device, Finding } from '../report/model.js';
import type { Alert } from '../report/alert.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function tmpDb(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-store-'));
  return { path: join(dir, 'w.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

const EV = { fact: 'hostname', value: 'PUMP-7', source: 'dhcp.option12', file: 'a.pcap', packet: 3, ts: 100.5 };

function device(over: Partial<Device> = {}): Device {
  return {
    id: 'mac:00:11:22:33:44:55',
    mac: '00:11:22:33:44:55',
    ips: ['10.0.0.5'],
    hostnames: ['PUMP-7'],
    vendor: 'Acme Medical',
    model: null,
    category: 'infusion_pump',
    medical: true,
    os: null,
    software: [],
    services: ['tcp/80 http'],
    protocols: ['http'],
    risk: { score: 40, level: 'medium', factors: [] },
    evidence: [EV],
    ...over,
  };
}

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'f-cleartext-1',
    rule: 'cleartext-credentials',
    severity: 'high',
    device: 'mac:00:11:22:33:44:55',
    title: 'FTP login in clear text',
    detail: 'user clinic logged in over FTP',
    evidence: [{ fact: 'ftp.login', value: 'user clinic', source: 'ftp.user', file: 'a.pcap', packet: 9, ts: 101 }],
    remediation: 'use SFTP',
    cves: [],
    ...over,
  };
}

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'brute-force-0123456789abcdef',
    rule: 'brute-force',
    severity: 'high',
    device: 'ip:10.0.0.9',
    peer: '10.0.0.5',
    first_ts: 200,
    last_ts: 260,
    count: 12,
    evidence: [{ fact: 'login-failure', value: 'ftp 530', source: 'ftp.reply_code', file: 'a.pcap', packet: 21, ts: 200 }],
    why: '12 failed FTP logins',
    ...over,
  };
}

test('a new database is migrated to the current schema in WAL mode', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  assert.equal((s.db.pragma('journal_mode') as { journal_mode: string }[])[0].journal_mode, 'wal');
  const v = s.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number };
  assert.equal(v.v, SCHEMA_VERSION);
  s.close();
  // Reopening applies nothing twice.
  const s2 = Store.open(t.path);
  assert.equal((s2.db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n, SCHEMA_VERSION);
  s2.close();
  t.done();
});

test('a database from a newer wardline is refused with store.newer_schema', () => {
  const t = tmpDb();
  Store.open(t.path).close();
  const db = new Database(t.path);
  db.prepare('INSERT INTO schema_version (version, note) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'future');
  db.close();
  assert.throws(() => Store.open(t.path), (e: unknown) => e instanceof StoreError && e.code === 'store.newer_schema');
  t.done();
});

test('putting the same devices, findings and alerts twice adds no rows', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  for (let run = 0; run < 2; run++) {
    s.saveRun({ kind: 'analyze', inputs: ['a.pcap'], status: 'complete', first_ts: 100, last_ts: 300, devices: [device()], findings: [finding()], alerts: [alert()] });
  }
  const c = s.counts();
  assert.equal(c.devices, 1);
  assert.equal(c.findings, 1);
  assert.equal(c.alerts, 1);
  assert.equal(c.evidence, 3);
  assert.equal(c.capture_runs, 2);
  assert.equal(s.alerts()[0].count, 12);
  s.close();
  t.done();
});

test('devices merge across runs: lists united, first/last seen widened, identity history kept', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  s.saveRun({ kind: 'analyze', inputs: ['a.pcap'], status: 'complete', first_ts: 100, last_ts: 200, devices: [device()] });
  s.saveRun({ kind: 'analyze', inputs: ['b.pcap'], status: 'complete', first_ts: 500, last_ts: 900, devices: [device({ ips: ['10.0.0.6'], hostnames: [], vendor: null, category: 'unknown', medical: false, evidence: [] })] });
  const [d] = s.devices();
  assert.deepEqual(d.ips, ['10.0.0.5', '10.0.0.6']);
  assert.deepEqual(d.hostnames, ['PUMP-7']);
  assert.equal(d.vendor, 'Acme Medical');
  assert.equal(d.category, 'infusion_pump');
  assert.equal(d.medical, true);
  assert.equal(d.first_seen, 100);
  assert.equal(d.last_seen, 900);
  assert.deepEqual(d.evidence, [EV]);
  const ips = s.identityHistory(d.id).filter((r) => r.field === 'ip');
  assert.deepEqual(ips, [
    { field: 'ip', value: '10.0.0.5', first_seen: 100, last_seen: 200 },
    { field: 'ip', value: '10.0.0.6', first_seen: 500, last_seen: 900 },
  ]);
  s.close();
  t.done();
});

test('a finding resolves with a timestamp and re-opens when it is raised again', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  s.putFinding(finding(), null, { first: 100, last: 150 });
  s.flush();
  s.resolveFinding('f-cleartext-1', 400);
  s.flush();
  let [f] = s.findings();
  assert.equal(f.status, 'resolved');
  assert.equal(f.resolved_at, 400);
  assert.equal(f.first_seen, 100);
  s.putFinding(finding(), null, { first: 500, last: 600 });
  s.flush();
  [f] = s.findings();
  assert.equal(f.status, 'open');
  assert.equal(f.resolved_at, null);
  assert.equal(f.first_seen, 100);
  assert.equal(f.last_seen, 600);
  s.close();
  t.done();
});

test('alerts with the same id merge: times widened, larger count and higher severity kept', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  s.putAlert(alert());
  s.flush();
  s.putAlert(alert({ first_ts: 150, last_ts: 250, count: 5, severity: 'critical', why: 'fewer' }));
  s.flush();
  const [a] = s.alerts();
  assert.equal(a.first_ts, 150);
  assert.equal(a.last_ts, 260);
  assert.equal(a.count, 12);
  assert.equal(a.severity, 'critical');
  assert.equal(a.why, '12 failed FTP logins');
  s.close();
  t.done();
});

test('passwords, communities and patient values never reach the database file', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  const secret = 'Tulip-7734-secret';
  const patient = 'DOE^JANE^Q';
  s.putFinding(
    finding({
      evidence: [
        { fact: 'cleartext-password', value: secret, source: 'ftp.pass', file: 'a.pcap', packet: 1, ts: 1 },
        { fact: 'community', value: secret + '-c', source: 'snmp.community', file: 'a.pcap', packet: 2, ts: 2 },
        { fact: 'phi', value: patient, source: 'hl7.pid.5', file: 'a.pcap', packet: 3, ts: 3 },
      ],
      ...({ password: secret, patient_name: patient, credentials: [{ user: 'u', password: secret }] } as object),
    }),
  );
  s.putDevice(device({ ...({ community: secret } as object), evidence: [{ fact: 'snmp-community', value: secret, source: 'snmp.community', file: 'a.pcap', packet: 4, ts: 4 }] }));
  s.endRun(s.beginRun('analyze', ['a.pcap']), { status: 'complete', stats: { password: secret } });
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
  const dir = dirname(t.path);
  for (const f of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, f));
    assert.equal(bytes.includes(secret), false, `${f} holds the password`);
    assert.equal(bytes.includes(patient), false, `${f} holds the patient name`);
  }
  const r = Store.open(t.path, { readonly: true });
  const f = r.findings()[0] as unknown as Record<string, unknown>;
  assert.equal(f.password, '<redacted>');
  assert.equal(f.patient_name, '<redacted>');
  assert.ok(r.findings()[0].evidence.every((e) => e.value === '<redacted>'));
  r.close();
  t.done();
});

/** Runs the writer child, kills it with SIGKILL `ms` after it is ready, returns the last committed sequence. */
function killAfter(db: string, start: number, ms: number, flushMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'kill-child.js'), db, String(flushMs), String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = start;
    let buf = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), ms);
        else if (l !== '') acked = Number(l);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code} ${signal}: ${err}`));
      else resolve(acked);
    });
  });
}

test('kill -9 at random moments never corrupts the database and loses only the unflushed tail', async () => {
  const t = tmpDb();
  const flushMs = 25;
  const r = rng(20240611);
  let start = 0;
  let lastAcked = 0;
  for (let round = 0; round < 8; round++) {
    const ms = 250 + Math.floor(r() * 600);
    const acked = await killAfter(t.path, start, ms, flushMs);
    const s = Store.open(t.path);
    assert.equal(s.integrityCheck(), 'ok', `round ${round}`);
    const ids = s.db.prepare("SELECT id FROM alerts WHERE id LIKE 'kill-%' ORDER BY id").pluck().all() as string[];
    const present = ids.length;
    // Everything the child reported committed is there, as an unbroken prefix (whole transactions).
    assert.ok(present >= acked, `round ${round}: ${present} rows but ${acked} acknowledged`);
    assert.equal(ids[present - 1], `kill-${String(present - 1).padStart(9, '0')}`, `round ${round}: a gap in the committed rows`);
    // Every alert's evidence is there too (no half-written transaction).
    const orphans = s.db.prepare("SELECT COUNT(*) FROM alerts a WHERE a.id LIKE 'kill-%' AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.owner_kind = 'alert' AND e.owner_id = a.id)").pluck().get() as number;
    assert.equal(orphans, 0);
    assert.ok(present > lastAcked, `round ${round}: the child made no progress`);
    lastAcked = acked;
    start = present;
    s.close();
  }
  t.done();
});

test('conversations add up across flushes, keep the earliest first sighting and the first service', () => {
  const t = tmpDb();
  const s = Store.open(t.path);
  const c = { orig: '10.0.0.5', resp: '10.0.0.9', proto: 'tcp', port: 104, service: '', count: 2, first_ts: 200, last_ts: 260, where: 'b.pcap packet 40' };
  s.putConversation(c);
  s.putConversation({ ...c, service: 'dicom', count: 1, first_ts: 300, last_ts: 300, where: 'b.pcap packet 90' });
  s.flush();
  s.putConversation({ ...c, service: 'other', count: 3, first_ts: 100, last_ts: 120, where: 'a.pcap packet 7' });
  s.flush();
  assert.deepEqual(s.conversations(), [{ orig: '10.0.0.5', resp: '10.0.0.9', proto: 'tcp', port: 104, service: 'dicom', count: 6, first_ts: 100, last_ts: 300, where: 'a.pcap packet 7' }]);
  s.close();
  t.done();
});
