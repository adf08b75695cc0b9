// The scan detector's bounds, on synthetic connection views (the detection itself is tested on
// real nmap captures in monitor.test.ts), and a scan hidden among decoys (nmap -D) on a real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Alert } from '../report/alert.js';
import type { MonitorConfig } from './config.js';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { connView, detectorContext, monitorCaptures } from './detector.testutil.js';
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

test('a scan hidden among decoys (nmap -D) is one scan by the host whose MAC sent every copy (generated-decoy-scan.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'decoy');
  // tshark: every SYN left from 02:94:00:00:00:31, 1,024 ports of 10.94.0.61 each from six source
  // addresses with one source port; ARP binds 10.94.0.31 to that MAC, .41 and .51 to their own.
  const syns = readTsharkFields(join(dir, 'generated-decoy-scan.syns.tshark.tsv')).slice(1);
  const scanning = syns.filter((r) => r[0] === '02:94:00:00:00:31');
  const sources = [...new Set(scanning.map((r) => r[1]))].sort();
  assert.equal(sources.length, 6);
  assert.equal(new Set(scanning.map((r) => r[4])).size, 1024);
  assert.deepEqual([...new Set(scanning.map((r) => r[2]))], ['40452']);
  const arp = readTsharkFields(join(dir, 'generated-decoy-scan.arp.tshark.tsv')).slice(1);
  const boundTo = (ip: string): string | undefined => arp.find((r) => r[2] === ip)?.[1];
  assert.equal(boundTo('10.94.0.31'), '02:94:00:00:00:31');
  assert.equal(boundTo('10.94.0.41'), '02:94:00:00:00:41');
  assert.equal(boundTo('10.94.0.51'), '02:94:00:00:00:51');

  const alerts = await monitorCaptures([join(dir, 'generated-decoy-scan.pcap')]);
  const scans = alerts.filter((a) => a.rule === 'scan');
  // One alert, not one per source address: the pump and the workstation are not blamed.
  assert.equal(scans.length, 1, scans.map((a) => a.why).join('\n'));
  const a = scans[0];
  assert.equal(a.device, 'ip:10.94.0.31');
  assert.equal(a.count, 1024);
  assert.equal(a.peer, '10.94.0.61');
  const decoys = sources.filter((ip) => ip !== '10.94.0.31');
  assert.match(a.why, /^10\.94\.0\.31 probed 1024 TCP ports of 10\.94\.0\.61 without completing a connection \(port scan; .*\), hiding among decoys: MAC 02:94:00:00:00:31, which ARP binds to 10\.94\.0\.31, sent each probe also from (.*) at the same moment \(a decoy scan, nmap -D\); those addresses did not send them \(10\.94\.0\.41, 10\.94\.0\.51 are other stations' addresses, borrowed as decoys\)$/);
  const named = /also from (.*) at the same moment/.exec(a.why)![1].split(', ');
  assert.deepEqual(named.sort(), decoys);
  // The evidence: two copies of one probe, then probes of the scan, every one a SYN of that MAC.
  assert.equal(a.evidence[0].fact, 'decoy-probe');
  assert.match(a.evidence[0].value, /^(\S+):40452 -> 10\.94\.0\.61:(\d+)\/tcp and (\S+):40452 -> 10\.94\.0\.61:\2\/tcp, 0\.0000\d\d s apart, both from MAC 02:94:00:00:00:31$/);
  const frames = new Set(scanning.map((r) => `${r[1]}:${r[4]}`));
  for (const e of a.evidence.slice(1)) {
    const m = /^(\S+):40452 -> 10\.94\.0\.61:(\d+)\/tcp (REJ|S0|RSTO|RSTOS0)$/.exec(e.value);
    assert.ok(m !== null, e.value);
    assert.ok(frames.has(`${m[1]}:${m[2]}`), e.value);
  }
});

test('FIN, Xmas and NULL scans (nmap -sF/-sX/-sN) are port scans, and so is the ACK scan beside them (generated-nmap-stealth-scans.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 100 probes to each address, flags 0x001 (FIN) to .61, 0x029 (FIN, PSH, URG) to .62,
  // 0x000 to .63, 0x010 (ACK) to .64; every closed port answered with a reset.
  const rows = readTsharkFields(join(dir, 'generated-nmap-stealth-scans.tshark.tsv')).slice(1);
  const probes = (dst: string): string[][] => rows.filter((r) => r[1] === '10.99.0.31' && r[2] === dst);
  const flags = (dst: string): string[] => [...new Set(probes(dst).map((r) => r[4]))];
  assert.deepEqual([flags('10.99.0.61'), flags('10.99.0.62'), flags('10.99.0.63'), flags('10.99.0.64')], [['0x0001'], ['0x0029'], ['0x0000'], ['0x0010']]);
  const ports = (dst: string): number => new Set(probes(dst).map((r) => r[3])).size;
  const alerts = (await monitorCaptures([join(dir, 'generated-nmap-stealth-scans.pcap')])).filter((a) => a.rule === 'scan');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.count]).sort(),
    ['10.99.0.61', '10.99.0.62', '10.99.0.63', '10.99.0.64'].map((t) => ['ip:10.99.0.31', t, ports(t)]),
  );
  for (const a of alerts) {
    const ack = a.peer === '10.99.0.64';
    if (ack) assert.match(a.why, /^10\.99\.0\.31 probed 100 TCP ports of 10\.99\.0\.64 with lone ACK segments of no connection, answered by resets or nothing \(ACK or window probes, nmap -sA\/-sW: /);
    else assert.match(a.why, /^10\.99\.0\.31 probed 100 TCP ports of 10\.99\.0\.6[123] with segments no TCP stack sends \(no SYN or ACK: FIN, NULL or Xmas probes, nmap -sF\/-sN\/-sX\) \(port scan; /);
    const frames = new Set(probes(a.peer!).map((r) => Number(r[0])));
    for (const e of a.evidence) {
      assert.ok(frames.has(e.packet), `evidence at packet ${e.packet} is a probe`);
      assert.match(e.value, ack ? /\/tcp (RSTRH|OTH), a lone ACK$/ : /\/tcp (RSTR|RSTRH|SH|OTH), opened without SYN or ACK$/);
    }
  }
});

test('ACK, window and Maimon scans (nmap -sA/-sW/-sM, hping3 -A), answered by resets or dropped by a firewall, are port scans (generated-nmap-ack-scans.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 100 probes from 10.97.0.31 to each address, flags 0x010 (ACK) to .61, .62, .63 and
  // .66, 0x011 (FIN, ACK) to .64; every port answered with a reset but .63's, where a firewall
  // dropped all but port 80's.
  const rows = readTsharkFields(join(dir, 'generated-nmap-ack-scans.tshark.tsv')).slice(1);
  const targets = ['10.97.0.61', '10.97.0.62', '10.97.0.63', '10.97.0.64', '10.97.0.66'];
  const probes = (dst: string): string[][] => rows.filter((r) => r[1] === '10.97.0.31' && r[2] === dst);
  const resets = (dst: string): number => rows.filter((r) => r[1] === dst && r[5] === '0x0004').length;
  assert.deepEqual(targets.map((t) => [...new Set(probes(t).map((r) => r[5]))]), [['0x0010'], ['0x0010'], ['0x0010'], ['0x0011'], ['0x0010']]);
  assert.deepEqual(targets.map(resets), [100, 100, 1, 100, 100]);
  const alerts = (await monitorCaptures([join(dir, 'generated-nmap-ack-scans.pcap')])).filter((a) => a.rule === 'scan');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.count]).sort(),
    targets.map((t) => ['ip:10.97.0.31', t, new Set(probes(t).map((r) => r[4])).size]),
  );
  for (const a of alerts) {
    const maimon = a.peer === '10.97.0.64';
    assert.match(a.why, maimon ? /with lone FIN\+ACK segments of no connection, answered by resets or nothing \(Maimon probes, nmap -sM\) \(port scan; threshold 15 in 300 s\)$/ : /with lone ACK segments of no connection, answered by resets or nothing \(ACK or window probes, nmap -sA\/-sW: mapping which ports a firewall lets through\) \(port scan; threshold 15 in 300 s\)$/);
    const frames = new Map(probes(a.peer!).map((r) => [Number(r[0]), r]));
    assert.equal(a.evidence.length, 10);
    for (const e of a.evidence) {
      const r = frames.get(e.packet);
      assert.ok(r !== undefined, `evidence at packet ${e.packet} is a probe`);
      assert.equal(e.value, `10.97.0.31:${r[3]} -> ${a.peer}:${r[4]}/tcp ${a.peer === '10.97.0.63' && r[4] !== '80' ? 'OTH' : maimon ? 'RSTR' : 'RSTRH'}, ${maimon ? 'a lone FIN+ACK' : 'a lone ACK'}`);
    }
  }
});

test("a server's keepalives to a client that lost its connections, answered by resets, are no scan (generated-stray-keepalives.pcap)", async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 20 lone ACKs from 10.96.0.61:2575 to 20 ephemeral ports of 10.96.0.31, each answered
  // by a reset: one by one the same as an ACK scan's probes, but to ports above the one they came from.
  const rows = readTsharkFields(join(dir, 'generated-stray-keepalives.tshark.tsv')).slice(1);
  const acks = rows.filter((r) => r[1] === '10.96.0.61' && r[5] === '0x0010');
  assert.equal(acks.length, 20);
  assert.equal(new Set(acks.map((r) => r[4])).size, 20);
  assert.ok(acks.every((r) => r[3] === '2575' && Number(r[4]) > 2575));
  assert.equal(rows.filter((r) => r[1] === '10.96.0.31' && r[5] === '0x0004').length, 20);
  const alerts = await monitorCaptures([join(dir, 'generated-stray-keepalives.pcap')]);
  assert.deepEqual(alerts.map((a) => a.rule), []);
});
