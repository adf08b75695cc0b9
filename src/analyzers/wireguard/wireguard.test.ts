// WireGuard analyzer tests. Real captures: nDPI's ossfuzz_seed_fake_traces_2.pcapng (two flows
// nDPI labels WireGuard, one by inspection: a handshake initiation answered by a cookie reply)
// and the generated generated-vpn-tunnels.pcap (wireguard-go: initiation, response, six
// transport packets; test/fixtures/generated/vpn/generate.sh), with tshark's WireGuard dissector
// (wg.type, wg.sender, wg.receiver) as the expectation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { WireguardAnalyzer } from './analyzer.js';
import { MSG_INITIATION, MSG_RESPONSE, parseMessage } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const NDPI = corpus('ndpi', 'pcap', 'ossfuzz_seed_fake_traces_2.pcapng');
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-vpn-tunnels.pcap');

test("nDPI's WireGuard flows: an initiation answered by a cookie reply, not established", { skip }, async () => {
  const run = await runCaptures([NDPI]);
  try {
    const wg = run.log('wireguard').map((r) => [r['id.orig_h'], r['id.resp_p'], r.established, r.initiations, r.responses, r.cookie_replies, r.transport_packets]);
    // tshark: frames 72/73 type 1 (sender 0x30d037d8), 74/75 type 3.
    assert.deepEqual(wg.sort(), [
      ['10.147.205.42', 51820, false, 1, 0, 1, 0],
      ['10.9.0.1', 51820, false, 1, 0, 1, 0],
    ]);
    assert.ok(run.log('conn').filter((c) => c['id.resp_p'] === 51820).every((c) => c.service === 'wireguard'));
  } finally {
    run.cleanup();
  }
});

test('generated tunnel: handshake answered, six transport packets, established', async () => {
  const run = await runCaptures([GEN]);
  try {
    const [r] = run.log('wireguard');
    assert.deepEqual([r['id.orig_h'], r['id.resp_h'], r['id.resp_p'], r.established, r.initiations, r.responses, r.cookie_replies, r.transport_packets], ['10.97.0.20', '185.220.101.8', 51820, true, 1, 1, 0, 6]);
  } finally {
    run.cleanup();
  }
});

test('parseMessage() reads the indexes tshark shows; probe() takes handshakes as yes, transport as maybe', async () => {
  const f = (await flowBytes(GEN)).find((x) => x.chunks.some((c) => c.bytes.length === 148))!;
  const init = f.chunks.find((c) => c.isOrig && c.bytes.length === 148)!.bytes;
  const resp = f.chunks.find((c) => !c.isOrig && c.bytes.length === 92)!.bytes;
  const data = f.chunks.find((c) => c.bytes[0] === 4)!.bytes;
  const i = parseMessage(init, 0, init.length)!;
  const r = parseMessage(resp, 0, resp.length)!;
  assert.equal(i.type, MSG_INITIATION);
  assert.equal(r.type, MSG_RESPONSE);
  assert.equal(r.receiver, i.index, "the response names the initiator's sender index");
  assert.equal(probe(init, 0, init.length, true), PROBE_YES);
  assert.equal(probe(resp, 0, resp.length, false), PROBE_YES);
  assert.equal(probe(init, 0, init.length - 1, true), PROBE_NO);
  assert.equal(probe(data, 0, data.length, true), PROBE_MAYBE);
  const dns = Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, ...new Array(26).fill(0)]);
  assert.equal(probe(dns, 0, dns.length, true), PROBE_NO);
});

test('the parser and the analyzer survive truncation and mutation of real messages', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of await flowBytes(GEN)) for (const c of f.chunks.slice(0, 6)) if (c.bytes[1] === 0 && c.bytes[0] >= 1 && c.bytes[0] <= 4) seeds.push(c.bytes);
  fuzzParser(seeds, (b) => {
    parseMessage(b, 0, b.length);
    probe(b, 0, b.length, true);
    feedAnalyzer(new WireguardAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
  }, { mutations: 100 });
});
