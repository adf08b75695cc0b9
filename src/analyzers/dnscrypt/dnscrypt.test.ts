// DNSCrypt analyzer tests. Real captures: nDPI's dnscrypt-v1-and-resolver-pings.pcap
// (dnscrypt-proxy probing 38 resolvers: certificate lookups in plain DNS, then encrypted
// exchanges with 11 of them), dnscrypt-v2.pcap (three exchanges on loopback port 5353) and
// dnscrypt_skype_false_positive.pcapng (three exchanges on UDP 443). Expectations: nDPI's labels
// (DNScrypt) and tshark 4.0's payload bytes — every datagram starting with the resolver magic
// r6fnvWj8 (test/fixtures/ndpi/ndpi-dnscrypt.tshark.tsv, its command in that folder's README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes, type FlowChunk } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { PROBE_CERTAIN, PROBE_NO } from '../types.js';
import { DnscryptAnalyzer } from './analyzer.js';
import { RESOLVER_MAGIC, clientMagic, isResponse } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const FILES = ['dnscrypt-v1-and-resolver-pings.pcap', 'dnscrypt-v2.pcap', 'dnscrypt_skype_false_positive.pcapng'];
const TSV = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-dnscrypt.tshark.tsv');

/** tshark's responses: file, frame, resolver, its port, client, client port, UDP length. */
function responses(): string[][] {
  return readFileSync(TSV, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

test('every flow whose resolver answered with the DNSCrypt magic is service dnscrypt, one dnscrypt.log line each; the certificate lookups stay dns', { skip }, async () => {
  const run = await runCaptures(FILES.map((f) => corpus('ndpi', 'pcap', f)));
  try {
    const want = responses()
      .map((r) => `${r[4]}:${r[5]}>${r[2]}:${r[3]}`)
      .sort();
    const conns = run.log('conn');
    const got = conns
      .filter((c) => c.service === 'dnscrypt')
      .map((c) => `${c['id.orig_h']}:${c['id.orig_p']}>${c['id.resp_h']}:${c['id.resp_p']}`)
      .sort();
    assert.deepEqual(got, want);
    const log = run.log('dnscrypt');
    assert.equal(log.length, want.length);
    // Each flow is one query answered once (tshark: one datagram each way).
    for (const r of log) assert.deepEqual([r.queries, r.responses], [1, 1]);
    // nDPI labels every one of them DNScrypt, and the certificate lookups too: those wardline names dns.
    for (const f of FILES) {
      for (const n of ndpiFlows(corpus('ndpi', 'result', `${f}.out`)).filter((x) => x.app === 'DNScrypt')) {
        const c = conns.find((x) => x['id.orig_h'] === n.a && x['id.orig_p'] === n.aPort && x['id.resp_h'] === n.b && x['id.resp_p'] === n.bPort);
        assert.ok(c !== undefined && ['dnscrypt', 'dns'].includes(String(c.service)), `${f} ${n.a}:${n.aPort} → ${n.b}:${n.bPort}: ${String(c?.service)}`);
      }
    }
  } finally {
    run.cleanup();
  }
});

test("the probe takes the resolver's magic as certain and never the client's random query; the client magic is the query's first 8 bytes", { skip }, async () => {
  const flows = (await flowBytes(corpus('ndpi', 'pcap', 'dnscrypt-v2.pcap'))).filter((f) => f.chunks.length === 2);
  assert.equal(flows.length, 3);
  for (const f of flows) {
    const [q, r] = f.chunks;
    assert.ok(q.isOrig && !r.isOrig);
    assert.equal(probe(r.bytes, 0, r.bytes.length, false, 17), PROBE_CERTAIN);
    assert.equal(probe(q.bytes, 0, q.bytes.length, true, 17), PROBE_NO);
    assert.equal(probe(r.bytes, 0, 47, false, 17), PROBE_NO, 'too short for nonce and authenticator');
    assert.ok(isResponse(r.bytes, 0, r.bytes.length));
    // The response's nonce begins with the query's half-nonce (bytes 40–51): the protocol's pairing.
    assert.deepEqual([...r.bytes.subarray(8, 20)], [...q.bytes.subarray(40, 52)]);
    const { events, services } = feedAnalyzer(new DnscryptAnalyzer(), [q, r], 17);
    assert.deepEqual(services, ['dnscrypt']);
    assert.equal(events[0].client_magic, clientMagic(q.bytes, 0));
  }
  // The same magic elsewhere than at the start is nothing.
  const shifted = Uint8Array.from([0, ...RESOLVER_MAGIC, ...new Array(60).fill(1)]);
  assert.equal(probe(shifted, 0, shifted.length, false, 17), PROBE_NO);
});

test('over TCP each message has its 2-byte length: framed, cut at any point and with a long box passed over, it reads the same', { skip }, async () => {
  // No capture holds DNSCrypt over TCP: this reframes the real UDP messages of dnscrypt-v2.pcap
  // as the protocol frames them on TCP (a big-endian length before each), then cuts the stream.
  const flows = (await flowBytes(corpus('ndpi', 'pcap', 'dnscrypt-v2.pcap'))).filter((f) => f.chunks.length === 2);
  const frame = (b: Uint8Array): Uint8Array => Uint8Array.from([b.length >> 8, b.length & 0xff, ...b]);
  const qs = flows.map((f) => frame(f.chunks[0].bytes));
  const rs = flows.map((f) => frame(f.chunks[1].bytes));
  assert.equal(probe(rs[0], 0, rs[0].length, false, 6), PROBE_CERTAIN);
  assert.equal(probe(rs[0].subarray(1), 0, rs[0].length - 1, false, 6), PROBE_NO);
  const orig = Uint8Array.from(qs.flatMap((q) => [...q]));
  const resp = Uint8Array.from(rs.flatMap((r) => [...r]));
  for (const cut of [1, 7, 53, 100, 1000]) {
    const chunks: FlowChunk[] = [];
    for (let i = 0; i < orig.length; i += cut) chunks.push({ isOrig: true, bytes: orig.subarray(i, i + cut) });
    for (let i = 0; i < resp.length; i += cut) chunks.push({ isOrig: false, bytes: resp.subarray(i, i + cut) });
    const { events, weirds, services } = feedAnalyzer(new DnscryptAnalyzer(), chunks, 6);
    assert.deepEqual(weirds, [], `cut ${cut}`);
    assert.deepEqual(services.slice(0, 1), ['dnscrypt']);
    assert.deepEqual([events[0].queries, events[0].responses, events[0].client_magic], [3, 3, clientMagic(flows[0].chunks[0].bytes, 0)], `cut ${cut}`);
  }
});

test('the parser, the probe and the analyzer survive truncation and mutation of real messages', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const f of FILES) for (const fl of await flowBytes(corpus('ndpi', 'pcap', f))) for (const c of fl.chunks.slice(0, 2)) if (c.bytes.length >= 48) seeds.push(c.bytes);
  fuzzParser(seeds.slice(0, 24), (b) => {
    isResponse(b, 0, b.length);
    probe(b, 0, b.length, false, 17);
    probe(b, 0, b.length, false, 6);
    feedAnalyzer(new DnscryptAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
    feedAnalyzer(new DnscryptAnalyzer(), [{ isOrig: false, bytes: b }, { isOrig: true, bytes: b }], 6);
  }, { mutations: 60 });
});
