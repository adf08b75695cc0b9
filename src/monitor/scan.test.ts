// The scan detector's bounds, on synthetic connection views (the detection itself is tested on
// real nmap captures in monitor.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../report/alert.js';
import type { MonitorConfig } from './config.js';
import { connView, detectorContext } from './detector.testutil.js';
import { ScanDetector } from './scan.js';
import type { ConnView } from './view.js';

function detector(over: Partial<MonitorConfig> = {}): { scan: ScanDetector; alerts: Alert[] } {
  const { ctx, alerts } = detectorContext(over);
  return { scan: new ScanDetector(ctx), alerts };
}

let packet = 0;
/** An unanswered SYN (Zeek S0) from `orig` to `resp`:`rPort` at `start`. */
function attempt(orig: string, resp: string, rPort: number, start: number): ConnView {
  const n = ++packet;
  return connView(orig, resp, { oPort: 40000 + (n % 20000), rPort, state: 'S0', answered: false, synNoData: true, start, end: start + 3, origPkts: 2, packet: n });
}

test('a port scan raises once at the threshold and cites its first probes', () => {
  const { scan, alerts } = detector();
  const first = 40000 + ((packet + 1) % 20000);
  for (let port = 1; port <= 40; port++) scan.onConn(attempt('10.0.0.9', '10.0.0.1', port, port));
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.rule, 'scan');
  assert.equal(a.count, 40);
  assert.equal(a.evidence.length, 10);
  assert.deepEqual(
    a.evidence.map((e) => [e.fact, e.value, e.source, e.file, e.ts]),
    Array.from({ length: 10 }, (_, i) => ['port-probe', `10.0.0.9:${first + i} -> 10.0.0.1:${i + 1}/tcp S0`, 'conn.conn_state', 'synthetic.pcap', i + 1]),
  );
});

test('the scan detector holds at most maxScanProbes failed attempts, dropping the oldest sources first', () => {
  const { scan } = detector({ maxScanProbes: 100 });
  for (let i = 0; i < 300; i++) scan.onConn(attempt(`10.1.${i >> 8}.${i & 255}`, '10.0.0.1', 445, i));
  // Each source's one attempt is held twice (by host and by port): 50 sources fit.
  assert.equal(scan.probes(), 100);
  assert.equal(scan.size(), 50);
  assert.equal(scan.evicted, 250);
});

test('one source alone past the budget stops growing instead of being dropped', () => {
  const { scan, alerts } = detector({ maxScanProbes: 20 });
  for (let port = 1; port <= 200; port++) scan.onConn(attempt('10.0.0.9', '10.0.0.1', port, 1));
  assert.equal(scan.size(), 1);
  assert.ok(scan.probes() <= 20);
  assert.equal(alerts.length, 0, 'the budget, not the scanner, ran out');
});

test('a scan window is dropped once no late report can land in it', () => {
  const { scan } = detector({ scanIntervalSecs: 300 });
  scan.onConn(attempt('10.0.0.9', '10.0.0.1', 22, 1000));
  scan.expire(1000 + 300 + 600);
  assert.equal(scan.size(), 1, 'an unanswered SYN ends after the 300 s inactivity timeout: still expected');
  scan.expire(1000 + 300 + 601);
  assert.equal(scan.size(), 0);
  assert.equal(scan.probes(), 0);
  assert.equal(scan.evicted, 0, 'expiry is not eviction');
});
