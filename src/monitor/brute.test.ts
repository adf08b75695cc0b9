// The brute-force detector's housekeeping, on synthetic connection views (detection itself is
// tested on real captures in monitor.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../report/alert.js';
import type { AlertBook } from './alerts.js';
import { BruteForceDetector } from './brute.js';
import { connView, detectorContext } from './detector.testutil.js';
import type { ConnView } from './view.js';
import { testConn } from '../testutil/conn.js';
import { PacketMeta } from '../decode/packet.js';

function detector(): { brute: BruteForceDetector; book: AlertBook; alerts: Alert[] } {
  const { ctx, book, alerts } = detectorContext();
  return { brute: new BruteForceDetector(ctx), book, alerts };
}

let packet = 0;
/** A 2-second RDP connection the server said little on: a failed logon by the heuristic. */
function shortRdp(orig: string, resp: string, start: number): ConnView {
  return connView(orig, resp, { rPort: 3389, service: 'rdp', start, end: start + 2, origBytes: 1500, respBytes: 2000, origPkts: 10, respPkts: 9, packet: ++packet });
}

test('a client below the threshold is forgotten twice the window after its last failure', () => {
  const { brute } = detector();
  for (let i = 0; i < 3; i++) brute.onConn(shortRdp('10.0.0.7', '10.0.0.1', 1000 + i));
  assert.equal(brute.size(), 1);
  brute.expire(1002 + 2 + 1200);
  assert.equal(brute.size(), 1, 'still within twice the 600 s window');
  brute.expire(1002 + 2 + 1201);
  assert.equal(brute.size(), 0);
});

test('a key whose alert is still open is kept, and forgotten once it closed', () => {
  const { brute, book, alerts } = detector();
  for (let i = 0; i < 6; i++) brute.onConn(shortRdp('10.0.0.8', '10.0.0.1', 1000 + i));
  assert.equal(alerts.length, 1);
  brute.expire(1005 + 2 + 1201);
  assert.equal(brute.size(), 1, 'the alert is open for an hour after its last failure');
  book.expire(1005 + 2 + 3601);
  brute.expire(1005 + 2 + 3601);
  assert.equal(brute.size(), 0);
});

/**
 * No capture holds repeated PostgreSQL logins: the events are what the PostgreSQL analyzer emits
 * for an ErrorResponse with SQLSTATE 28P01 (wrong password) and for AuthenticationOk.
 */
test('five refused PostgreSQL logins (SQLSTATE 28P01) raise brute-force; a later success makes it critical', () => {
  const { brute, alerts } = detector();
  const c = testConn(6, 50000, 5432);
  const m = new PacketMeta();
  for (let i = 0; i < 5; i++) {
    m.ts = 1000 + i;
    m.packetNo = i + 1;
    brute.onEvent({ type: 'postgresql.login', user: 'postgres', methods: ['MD5Password'], success: false, code: '28P01', packet: i + 1 }, c, m);
  }
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why ?? JSON.stringify(alerts[0]), /PostgreSQL/);
  m.ts = 1010;
  brute.onEvent({ type: 'postgresql.login', user: 'postgres', methods: ['MD5Password'], success: true, packet: 6 }, c, m);
  assert.equal(alerts[0].severity, 'critical');
  // A refused database name (3D000) is no password guess.
  const other = detector();
  for (let i = 0; i < 6; i++) other.brute.onEvent({ type: 'postgresql.login', success: false, code: '3D000', packet: i }, c, m);
  assert.equal(other.alerts.length, 0);
});

/**
 * No capture holds repeated SQL Server logins: the events are what the TDS analyzer emits for a
 * server ERROR 18456 ("Login failed for user") and for a LOGINACK.
 */
test('five SQL Server logins refused with error 18456 raise brute-force; a later LOGINACK makes it critical', () => {
  const { brute, alerts } = detector();
  const c = testConn(6, 50001, 1433);
  const m = new PacketMeta();
  for (let i = 0; i < 5; i++) {
    m.ts = 2000 + i;
    m.packetNo = i + 1;
    brute.onEvent({ type: 'mssql.login', username: 'sa', success: false, error_number: 18456, packet: i + 1 }, c, m);
  }
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /SQL Server logins/);
  m.ts = 2010;
  brute.onEvent({ type: 'mssql.login', username: 'sa', success: true, packet: 6 }, c, m);
  assert.equal(alerts[0].severity, 'critical');
  // Another error (4060, database unavailable) is no password guess.
  const other = detector();
  for (let i = 0; i < 6; i++) other.brute.onEvent({ type: 'mssql.login', success: false, error_number: 4060, packet: i }, c, m);
  assert.equal(other.alerts.length, 0);
});

/**
 * No capture holds five rejects for one user on one NAS (nDPI's fuzzed RADIUS capture has 29
 * Access-Rejects, but its User-Names are mutated from one attempt to the next): the events are
 * what the RADIUS analyzer emits as radius.auth for an Access-Reject and an Access-Accept.
 */
test('five Access-Rejects for one user on one NAS raise brute-force; other users and NASes count apart; an Accept makes it critical', () => {
  const { brute, alerts } = detector();
  const c = testConn(17, 1645, 1812);
  const m = new PacketMeta();
  const auth = (username: string, nas: string, result: string, i: number): void => {
    m.ts = 3000 + i;
    m.packetNo = i + 1;
    brute.onEvent({ type: 'radius.auth', ts_sec: 3000 + i, ts_nsec: 0, username, nas, result, packet: i + 1 }, c, m);
  };
  for (let i = 0; i < 4; i++) auth('host/PC1.example.org', '10.0.0.1', 'failed', i);
  // Other users behind the same NAS, and the same user on another NAS, are other keys.
  for (let i = 0; i < 4; i++) auth(`nurse${i}`, '10.0.0.1', 'failed', 10 + i);
  for (let i = 0; i < 4; i++) auth('host/PC1.example.org', '10.0.0.9', 'failed', 20 + i);
  assert.equal(alerts.length, 0);
  auth('host/PC1.example.org', '10.0.0.1', 'failed', 30);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /user "host\/PC1.example.org" on NAS 10.0.0.1 was refused 5 times by RADIUS server/);
  auth('host/PC1.example.org', '10.0.0.1', 'success', 40);
  assert.equal(alerts[0].severity, 'critical');
  // An unanswered exchange (result unknown) is no failure.
  const other = detector();
  for (let i = 0; i < 6; i++) other.brute.onEvent({ type: 'radius.auth', username: 'x', nas: '10.0.0.1', result: 'unknown', packet: i }, c, m);
  assert.equal(other.alerts.length, 0);
});

/**
 * No capture holds repeated RTSP logins (the corpus's RTSP captures carry no credentials): the
 * events are what the RTSP analyzer emits for a 401 to Basic credentials and for a 200.
 */
test('five RTSP 401s to credentials sent to a camera raise brute-force; a later 200 makes it critical', () => {
  const { brute, alerts } = detector();
  const c = testConn(6, 50002, 554);
  const m = new PacketMeta();
  for (let i = 0; i < 5; i++) {
    m.ts = 3000 + i;
    m.packetNo = i + 1;
    brute.onEvent({ type: 'rtsp.transaction', method: 'DESCRIBE', status_code: 401, auth_scheme: 'Basic', username: 'admin', password_sent: true, packet: i + 1 }, c, m);
  }
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /RTSP logins/);
  m.ts = 3010;
  brute.onEvent({ type: 'rtsp.transaction', method: 'DESCRIBE', status_code: 200, auth_scheme: 'Basic', username: 'admin', password_sent: true, packet: 6 }, c, m);
  assert.equal(alerts[0].severity, 'critical');
  // The 401 that asks for credentials before any were sent is no failed guess.
  const other = detector();
  for (let i = 0; i < 6; i++) other.brute.onEvent({ type: 'rtsp.transaction', method: 'DESCRIBE', status_code: 401, password_sent: false, packet: i }, c, m);
  assert.equal(other.alerts.length, 0);
});
