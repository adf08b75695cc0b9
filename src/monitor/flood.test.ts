// The flood detector's judgement and bounds on synthetic connection views (the floods themselves
// are tested on real hping3 captures in monitor.test.ts, the forged-source flood at the end of this
// file): what must not count as a flood.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Alert } from '../report/alert.js';
import type { MonitorConfig } from './config.js';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, connView, detectorContext, monitorCaptures } from './detector.testutil.js';
import { FloodDetector, floodKind } from './flood.js';

function detector(over: Partial<MonitorConfig> = {}) {
  const { ctx, alerts } = detectorContext(over);
  return { flood: new FloodDetector(ctx), alerts };
}

test('one-way services, group addresses and traceroute are never a UDP flood', () => {
  const base = { proto: 'udp', tcp: false, rPort: 514, start: 0, end: 60, packet: 1, origPkts: 20_000, respPkts: 0, state: 'S0' } as const;
  // A busy syslog sender: 20,000 unanswered datagrams in a minute.
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, service: 'syslog' })), null);
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, rPort: 2055, service: 'netflow' })), null);
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, rPort: 5004, service: 'rtp' })), null);
  assert.equal(floodKind(connView('10.0.0.5', '239.1.1.1', { ...base, rPort: 5004, respV4: (239 << 24) >>> 0 })), null);
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, rPort: 33440 })), null);
  // mDNS to its IPv6 group from a capture without MACs (nDPI's merged captures, the benchmark).
  assert.equal(floodKind(connView('fe80::1', 'ff02::fb', { ...base, rPort: 5353, origV4: -1, respV4: -1 })), null);
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, rPort: 53, respPkts: 1 })), null, 'answered');
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, rPort: 53 })), 'udp');
});

test('a one-direction capture of a long transfer (pure ACKs, never reset) is no ACK flood', () => {
  const { flood, alerts } = detector();
  // 50,000 ACKs without data, no SYN seen, in 100 s on one flow: the receiving side of a download.
  flood.onConn(connView('10.0.0.5', '10.0.0.9', { rPort: 443, state: 'OTH', answered: false, origPkts: 50_000, respPkts: 0, start: 0, end: 100, packet: 1 }));
  assert.equal(alerts.length, 0);
  // The same packets answered by resets, or as many one-packet flows, are.
  flood.onConn(connView('10.0.0.5', '10.0.0.8', { rPort: 443, state: 'OTH', answered: false, respRst: true, origPkts: 50_000, respPkts: 50_000, start: 0, end: 100, packet: 2 }));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].rule, 'dos-flood');
  assert.equal(alerts[0].device, 'ip:10.0.0.8');
});

test('a flood is counted per target within its window; a slow trickle over many windows is not one', () => {
  const { flood, alerts } = detector();
  // 2,000 unanswered SYNs at 10 a second (200 s): every window holds 100, under 1,000.
  for (let i = 0; i < 2000; i++) flood.onConn(connView(`10.1.${i >> 8}.${i & 0xff}`, '10.0.0.9', { rPort: 80, state: 'S0', answered: false, synNoData: true, origSyn: true, origPkts: 1, start: i / 10, end: i / 10, packet: i + 1 }));
  assert.equal(alerts.length, 0);
  // 1,000 in a second.
  for (let i = 0; i < 1000; i++) flood.onConn(connView(`10.2.${i >> 8}.${i & 0xff}`, '10.0.0.9', { rPort: 80, state: 'S0', answered: false, synNoData: true, origSyn: true, origPkts: 1, start: 500 + i / 1000, end: 500 + i / 1000, packet: 3000 + i }));
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /received 1,000 TCP SYN packets .* from at most 1,000 sources \(forged or distributed\)/);
});

test('the windows are bounded: the oldest target is dropped past maxSources', () => {
  const { flood } = detector({ maxSources: 100 });
  for (let i = 0; i < 250; i++) flood.onConn(connView('10.0.0.5', `10.3.0.${i}`, { rPort: 80, state: 'S0', answered: false, synNoData: true, origSyn: true, origPkts: 1, start: i, end: i, packet: i + 1 }));
  assert.equal(flood.size(), 100);
  assert.equal(flood.evicted, 150);
  flood.expire(10_000);
  assert.equal(flood.size(), 0);
});

test('a flood from one flow is raised while it runs, and its packets are counted once', () => {
  const { ctx, alerts, book } = detectorContext();
  const flood = new FloodDetector(ctx);
  // ping -f: one ICMP echo flow, seen at its 1,024th and 2,048th request, ending at 2,500.
  const at = (pkts: number, end: number) => connView('10.0.0.5', '10.0.0.9', { proto: 'icmp', tcp: false, oPort: 8, rPort: 0, state: 'OTH', origPkts: pkts, respPkts: pkts, start: 100, end, packet: 7 });
  flood.onProgress(at(1024, 100.5));
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].why, /received 1,024 ICMP echo requests \(ping flood\) from 10\.0\.0\.5/);
  flood.onProgress(at(2048, 101));
  flood.onConn(at(2500, 101.3));
  assert.equal(alerts.length, 1);
  assert.equal(book.get('dos-flood', 'flood|10.0.0.9|icmp')?.count, 2500);
  assert.equal(flood.size(), 0, 'the running flow is forgotten when it ends');
  // A slow long flow (a monitoring ping, 1,024 requests over 17 minutes) is none.
  flood.onProgress(connView('10.0.0.5', '10.0.0.8', { proto: 'icmp', tcp: false, oPort: 8, rPort: 0, state: 'OTH', origPkts: 1024, respPkts: 1024, start: 0, end: 1024, packet: 9 }));
  assert.equal(alerts.length, 1);
});

test("hping3 --rand-source: forged internal sources through one MAC are a forged-source flood on that MAC (threshold lowered to the capture's ten)", async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: the forged sources in private or loopback space, each one bare SYN nothing answered.
  const rows = readTsharkFields(join(dir, 'generated-hping3-floods.private-sources.tshark.tsv'));
  assert.equal(rows.length, 10);
  const path = join(dir, 'generated-hping3-floods.pcap');
  const forged = (alerts: Alert[]): Alert[] => alerts.filter((a) => a.rule === 'dos-flood' && /^forged-source flood/.test(a.why));
  // At the default (256 within 10 s) ten sources are no forged-source flood.
  assert.deepEqual(forged(await monitorCaptures([path])), []);
  const alerts = forged(await monitorCaptures([path], { spoofFloodSources: 10 }));
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.deepEqual(a.evidence.map((e) => e.packet), rows.map((r) => Number(r[0])));
  assert.equal(a.count, 10);
  assert.match(a.device, /^mac:/);
  assert.deepEqual(alertTechniques(a), ['T1499.001']);
  assert.match(a.why, /^forged-source flood from [0-9a-f:]{17}: 10 or more different internal addresses sent 10 TCP SYN packets that opened no connection \(SYN flood\) through this one MAC within [\d.]+ s, none of them completing a connection/);
});

test('floods from random forged sources at a live server: the SYN flood it answered (half-open, Sh), the UDP and the ping flood (generated-forged-floods.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 16,000 packets, each from its own made-up address, to 10.93.0.10: 4,000 SYNs to
  // port 53 (3,877 answered by SYN+ACK, none acknowledged), 8,000 UDP (514 and 161), 4,000 echo requests.
  const rows = readTsharkFields(join(dir, 'generated-forged-floods.forged.tshark.tsv'));
  const byProto = (p: string): string[][] => rows.filter((r) => r[3] === p);
  assert.deepEqual([byProto('6').length, byProto('17').length, byProto('1').length], [4000, 8000, 4000]);
  assert.ok(byProto('6').every((r) => r[4] === '0x0002'));
  const alerts = (await monitorCaptures([join(dir, 'generated-forged-floods.pcap')])).filter((a) => a.rule === 'dos-flood');
  const kinds = alerts.map((a) => [a.device, a.count, /received [\d,]+ (.*?) from/.exec(a.why)?.[1]]);
  assert.deepEqual(kinds, [
    ['ip:10.93.0.10', 4000, 'TCP SYN packets that opened no connection (SYN flood)'],
    ['ip:10.93.0.10', 8000, 'unanswered UDP datagrams (UDP flood)'],
    ['ip:10.93.0.10', 4000, 'ICMP echo requests (ping flood)'],
  ]);
  // The SYN flood's evidence is its SYNs (the first connections to end).
  const syns = new Set(byProto('6').map((r) => Number(r[0])));
  assert.ok(alerts[0].evidence.length > 0 && alerts[0].evidence.every((e) => syns.has(e.packet)));
  // Its sources in the site's (private) space are forged ones behind the router's MAC, though the
  // target answered them: a forged-source flood with the threshold lowered to their number.
  const internal = byProto('6').filter((r) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(r[1]));
  const spoofed = (await monitorCaptures([join(dir, 'generated-forged-floods.pcap')], { spoofFloodSources: internal.length })).filter((a) => /^forged-source flood/.test(a.why));
  assert.equal(spoofed.length, 1);
  assert.equal(spoofed[0].device, 'mac:be:d2:c0:87:43:75');
  assert.equal(spoofed[0].count, internal.length);
});

test('a half-open connection is a SYN flood packet; a handshake completed, reset or carrying data is not', () => {
  const base = { rPort: 80, state: 'S1', synNoData: true, origSyn: true, answered: true, origPkts: 1, respPkts: 1, start: 0, end: 0, packet: 1 } as const;
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', base)), 'syn');
  // The client's ACK came (two packets from it): a real client whose connection went idle.
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, origPkts: 2 })), null);
  // Data either way.
  assert.equal(floodKind(connView('10.0.0.5', '10.0.0.9', { ...base, synNoData: false })), null);
});

test('a SYN flood from forged sources of the attacked subnet: a flood at the target, and the target asking ARP for its senders is no ARP sweep (generated-local-forged-flood.pcap)', async () => {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
  // tshark: 1,510 SYNs from the attacker's MAC, from 151 addresses of 10.96.0.0/24, to 10.96.0.61:80;
  // the server broadcast who-has for every one of them (to answer), and none answered.
  const syns = readTsharkFields(join(dir, 'generated-local-forged-flood.syns.tshark.tsv'));
  assert.equal(syns.length, 1510);
  assert.deepEqual([...new Set(syns.map((r) => r[1]))], ['02:96:00:00:00:31']);
  const sources = new Set(syns.map((r) => r[2]));
  assert.equal(sources.size, 151);
  const arp = readTsharkFields(join(dir, 'generated-local-forged-flood.arp.tshark.tsv'));
  const asked = new Set(arp.filter((r) => r[1] === '1' && r[3] === '10.96.0.61').map((r) => r[4]));
  assert.ok([...sources].every((ip) => asked.has(ip)));
  assert.ok(!arp.some((r) => r[1] === '2' && sources.has(r[3])));
  const alerts = await monitorCaptures([join(dir, 'generated-local-forged-flood.pcap')]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.count]), [['dos-flood', 'ip:10.96.0.61', 1510]]);
  assert.match(alerts[0].why, /from 151 sources \(forged or distributed\)/);
});
