// The brute-force detector's housekeeping, on synthetic connection views (detection itself is
// tested on real captures in monitor.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../report/alert.js';
import { AlertBook } from './alerts.js';
import { BruteForceDetector } from './brute.js';
import { monitorConfig } from './config.js';
import { NetSet, parseV4 } from './net.js';
import type { ConnView, DetectorContext } from './view.js';

function detector(): { brute: BruteForceDetector; book: AlertBook; alerts: Alert[] } {
  const cfg = monitorConfig();
  const alerts: Alert[] = [];
  const book = new AlertBook({ quietGapSecs: cfg.quietGapSecs, maxEvidence: cfg.maxEvidence, maxOpen: cfg.maxOpenAlerts, maxKept: cfg.maxKeptAlerts }, (a, phase) => {
    if (phase === 'new') alerts.push(a);
  });
  const ctx: DetectorContext = {
    cfg,
    book,
    internal: new NetSet(cfg.internalNets),
    deviceId: (ip) => `ip:${ip}`,
    category: () => null,
    classified: false,
    file: () => 'synthetic.pcap',
  };
  return { brute: new BruteForceDetector(ctx), book, alerts };
}

let packet = 0;
/** A 2-second RDP connection the server said little on: a failed logon by the heuristic. */
function shortRdp(orig: string, resp: string, start: number): ConnView {
  return {
    orig,
    resp,
    origV4: parseV4(orig) ?? -1,
    respV4: parseV4(resp) ?? -1,
    oPort: 50000,
    rPort: 3389,
    proto: 'tcp',
    tcp: true,
    service: 'rdp',
    state: 'SF',
    answered: true,
    synNoData: false,
    origMac: null,
    respMac: null,
    vlan: -1,
    origInternal: true,
    respInternal: true,
    start,
    end: start + 2,
    origBytes: 1500,
    respBytes: 2000,
    origPkts: 10,
    respPkts: 9,
    file: 'synthetic.pcap',
    packet: ++packet,
  };
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
