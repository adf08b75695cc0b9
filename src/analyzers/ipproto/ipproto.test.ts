// The IP protocol census and the scan it reveals, on a real nmap -sO capture
// (test/fixtures/generated/protocol-scan: protocols 0-20 of a Linux host), with tshark's reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../../testutil/corpus.js';
import { Analysis } from '../../engine/analyze.js';
import { monitorCaptures } from '../../monitor/detector.testutil.js';
import type { AppEvent } from '../types.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'protocol-scan');
const PCAP = join(DIR, 'generated-nmap-protocol-scan.pcap');
/** TCP, UDP and ICMP are connections; IP-in-IP (4) is decoded as a tunnel (nmap's empty inner header is a weird). */
const NOT_COUNTED = new Set(['1', '4', '6', '17']);

/** tshark: the scanner's datagrams, protocol by first frame (its ip.proto column; ICMP errors quote a second one). */
function probes(): Map<string, number> {
  const rows = readTsharkFields(join(DIR, 'generated-nmap-protocol-scan.tshark.tsv')).slice(1);
  const first = new Map<string, number>();
  for (const r of rows) if (r[1] === '10.95.0.31' && r[2] === '10.95.0.61' && !first.has(r[3])) first.set(r[3], Number(r[0]));
  return first;
}

test('one ip.protocol event per protocol the scanner sent, at its first datagram, as tshark reads them', async () => {
  const events: AppEvent[] = [];
  const a = new Analysis({ outDir: null, onEvent: (ev) => events.push(ev) });
  await a.run([PCAP]);
  const seen = events.filter((e) => e.type === 'ip.protocol');
  const want = [...probes()].filter(([p]) => !NOT_COUNTED.has(p)).map(([p, frame]) => ({ type: 'ip.protocol', src: '10.95.0.31', dst: '10.95.0.61', proto: Number(p), packet: frame }));
  assert.deepEqual(
    seen.map((e) => ({ type: e.type, src: e.src, dst: e.dst, proto: e.proto, packet: Number(e.packet) })).sort((x, y) => x.packet - y.packet),
    want.sort((x, y) => x.packet - y.packet),
  );
  assert.equal(want.length, 17);
  assert.equal(a.weirds.count('ipv4.truncated_header'), 1);
});

test('an IP protocol scan (nmap -sO) is a scan of the host, counting each protocol once', async () => {
  const alerts = (await monitorCaptures([PCAP])).filter((x) => x.rule === 'scan');
  const want = [...probes()].filter(([p]) => !NOT_COUNTED.has(p));
  assert.equal(alerts.length, 1);
  const s = alerts[0];
  assert.deepEqual([s.device, s.peer, s.count], ['ip:10.95.0.31', '10.95.0.61', want.length]);
  assert.match(s.why, /^10\.95\.0\.31 sent 10\.95\.0\.61 datagrams of 17 different IP protocols other than TCP, UDP and ICMP \(IP protocol scan, nmap -sO: learning which protocols the host speaks; threshold 10 in 300 s\)$/);
  // The evidence: the first ten protocols, each at the frame tshark shows it first.
  const frames = new Map(want.map(([p, f]) => [f, p]));
  assert.equal(s.evidence.length, 10);
  for (const e of s.evidence) {
    const p = frames.get(e.packet);
    assert.ok(p !== undefined, `evidence at packet ${e.packet} is a protocol's first datagram`);
    assert.match(e.value, new RegExp(`^10\\.95\\.0\\.31 -> 10\\.95\\.0\\.61 IP protocol ${p}( \\(\\w+\\))?$`));
    assert.equal(e.source, 'ip.proto');
  }
  // Below the threshold nothing is raised.
  assert.deepEqual((await monitorCaptures([PCAP], { protoScanThreshold: 18 })).filter((x) => x.rule === 'scan'), []);
});
