// DNS spoofing (dnsspoof.ts) on a generated capture of real implementations (test/fixtures/
// generated/dns-spoof/generate.sh: dnsmasq as the resolver, dig as the client, dsniff's dnsspoof
// racing it on a flooding switch). Which frame is which comes from tshark's decode. The race's
// other order (the forged answer first) and an answer repeated by the resolver are the same real
// frames reordered or repeated (said there); the corpus's DNS captures stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dns-spoof.pcap');
/** tshark's rows: frame, eth src, ip src, ip dst, udp ports, DNS id, response flag, query, answers. */
const rows = readTsharkFields(join(GEN, 'dns-spoof', 'tshark.tsv'));
const RESOLVER_MAC = '02:97:13:00:00:53';
const SPOOFER = '02:97:13:00:00:66';

function reordered(frames: number[]): string {
  const all = pcapFrames(PCAP);
  return writePcap(frames.map((n, i) => ({ ts: 1_700_000_000 + i * 0.01, frame: all[n - 1] })));
}

test('dns-spoofing: dnsspoof answering ehr.ward.local in the resolver\'s name from its own MAC, twice; the honest answer for pacs.ward.local silent', async () => {
  const forged = rows.filter((r) => r[1] === SPOOFER);
  assert.deepEqual(forged.map((r) => [r[2], r[8], r[9]]), [['10.97.19.53', 'ehr.ward.local', '10.97.19.66'], ['10.97.19.53', 'ehr.ward.local', '10.97.19.66']]);
  const honest = (r: string[]): string[] => rows.find((x) => x[1] === RESOLVER_MAC && x[6] === r[6])!;
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.evidence.map((e) => e.packet)]),
    [['dns-spoofing', `mac:${SPOOFER}`, '10.97.19.53', 'high', forged.flatMap((r) => [Number(honest(r)[0]), Number(r[0])])]],
  );
  assert.match(alerts[0].why, /^10\.97\.19\.10 got two answers to one DNS query for "ehr\.ward\.local" \(id \d+\) in the name of its resolver 10\.97\.19\.53, from two Ethernet sources \(02:97:13:00:00:53, then 02:97:13:00:00:66\): 10\.97\.19\.80 first, then 10\.97\.19\.66\..*02:97:13:00:00:66 did not answer the resolver's other queries, so it is the forger/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1557']);
});

test('dns-spoofing: the forged answer first (the race won); an answer the resolver sent twice is no race', async () => {
  const q = rows.find((r) => r[7] === '0' && r[8] === 'ehr.ward.local')!;
  const real = rows.find((r) => r[1] === RESOLVER_MAC && r[6] === q[6])!;
  const fake = rows.find((r) => r[1] === SPOOFER && r[6] === q[6])!;
  const won = await monitorCaptures([reordered([Number(q[0]), Number(fake[0]), Number(real[0])])]);
  assert.deepEqual(won.map((a) => [a.rule, a.evidence.map((e) => e.packet)]), [['dns-spoofing', [2, 3]]]);
  assert.match(won[0].why, /10\.97\.19\.66 first, then 10\.97\.19\.80/);
  assert.deepEqual(await monitorCaptures([reordered([Number(q[0]), Number(real[0]), Number(real[0])])]), []);
});

test("dns-spoofing: silent on the corpus's DNS captures", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  for (const p of [
    ['zeek', 'traces', 'wikipedia.pcap'],
    ['ndpi', 'pcap', 'dns.pcap'],
    ['ndpi', 'pcap', 'bad-dns-traffic.pcap'],
    ['ndpi', 'pcap', 'dns-tunnel-iodine.pcap'],
    ['ndpi', 'pcap', 'dns_fragmented.pcap'],
    ['ndpi', 'pcap', 'malformed_dns.pcap'],
  ]) {
    const alerts = await monitorCaptures([corpus(...p)]);
    assert.deepEqual(alerts.filter((a) => a.rule === 'dns-spoofing'), [], p.join('/'));
  }
});
