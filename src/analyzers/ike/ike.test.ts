// IKE analyzer tests on the generated generated-ike.pcap (strongSwan 5.9.8 on both ends: IKEv2
// with AES-GCM/ECP_384 over 500 then 4500, IKEv2 with 3DES/SHA1/MODP_1024, IKEv1 Aggressive Mode
// with a PSK; test/fixtures/generated/ike/generate.sh). Expectations are tshark's ISAKMP
// dissector (isakmp.ispi, isakmp.rspi, isakmp.exchangetype, isakmp.key_exchange.dh_group,
// transform ids and attributes, isakmp.id.data, vendor id names, notify types) and the proposals
// charon's log says it selected. No capture in the corpus carries IKE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { ikeWeakness } from '../../assess/vpn-weak.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { IkeAnalyzer } from './analyzer.js';
import { parseMessage } from './parse.js';
import { probe } from './probe.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-ike.pcap');

test('ike.log: one line per IKE SA and flow, with what tshark reads in clear', async () => {
  const run = await runCaptures([GEN]);
  try {
    const ike = run.log('ike');
    const on500 = new Map(ike.filter((r) => r['id.resp_p'] === 500).map((r) => [r.initiator_spi, r]));
    // tshark: frames 14/15 (SPIs 62dba3e7eb0d64fe/d135c9f8f18c738e, IKE_SA_INIT, group 20)
    const strong = on500.get('62dba3e7eb0d64fe')!;
    assert.deepEqual(
      [strong.version, strong.exchanges, strong.responder_spi, strong.proposals_offered, strong.proposal_chosen, strong.dh_groups, strong.aggressive, strong.answered],
      ['2.0', ['IKE_SA_INIT'], 'd135c9f8f18c738e', ['AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384'], 'AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384', [20], false, true],
    );
    // tshark's notify types 16388, 16389, 16430, 16431, 16406 (request), 16418, 16404 (response)
    assert.deepEqual(strong.notifies, ['NAT_DETECTION_SOURCE_IP', 'NAT_DETECTION_DESTINATION_IP', 'IKEV2_FRAGMENTATION_SUPPORTED', 'SIGNATURE_HASH_ALGORITHMS', 'REDIRECT_SUPPORTED', 'CHILDLESS_IKEV2_SUPPORTED', 'MULTIPLE_AUTH_SUPPORTED']);
    // frames 18/19: ENCR_3DES, AUTH_HMAC_SHA1_96, PRF_HMAC_SHA1, group 2
    const weak = on500.get('ed609bf7714e8758')!;
    assert.deepEqual([weak.proposal_chosen, weak.encryption, weak.integrity, weak.dh_groups], ['3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024', ['3DES_CBC'], ['HMAC_SHA1_96'], [2]]);
    // frames 22–31: Aggressive (4), Quick Mode (32), Informational (5); AES-CBC 128, SHA, group 2,
    // pre-shared key; ID FQDN lab-analyzer-3 and vpn.vendor.example; five vendor ids
    const aggr = on500.get('5638e55e213bd7de')!;
    assert.deepEqual(
      [aggr.version, aggr.exchanges, aggr.responder_spi, aggr.proposal_chosen, aggr.auth_method, aggr.aggressive, aggr.initiator_id, aggr.responder_id],
      ['1.0', ['Aggressive', 'Quick Mode', 'Informational'], '797b0f7d79e1f735', 'AES_CBC_128/SHA1/MODP_1024/PSK', 'PSK', true, 'FQDN lab-analyzer-3', 'FQDN vpn.vendor.example'],
    );
    assert.deepEqual(aggr.vendor_ids, ['XAUTH', 'RFC 3706 DPD', 'Cisco Fragmentation', 'RFC 3947 NAT-T', 'draft-ietf-ipsec-nat-t-ike-02']);
    // frames 16/17, 20/21: IKE_AUTH on 4500 behind the non-ESP marker, encrypted
    const on4500 = ike.filter((r) => r['id.resp_p'] === 4500).map((r) => [r.initiator_spi, r.exchanges]);
    assert.deepEqual(on4500.sort(), [['62dba3e7eb0d64fe', ['IKE_AUTH']], ['ed609bf7714e8758', ['IKE_AUTH']]]);
    assert.ok(run.log('conn').filter((c) => c['id.resp_p'] === 500 || c['id.resp_p'] === 4500).every((c) => c.service === 'ike'));
    // The PSK's hash (HASH_R in frame 23) is never logged.
    assert.ok(!JSON.stringify(ike).toLowerCase().includes('hash_r'));
  } finally {
    run.cleanup();
  }
});

test('weak-vpn on both ends, Aggressive Mode PSK first; the initiator also opened an IPsec tunnel', async () => {
  const { report } = await runPipeline([GEN], { outDir: null, kb: testKb() }, INVENTORY);
  const weak = report.findings.filter((f) => f.rule === 'weak-vpn');
  assert.equal(weak.length, 2);
  assert.ok(weak.every((f) => f.severity === 'high'));
  const dev = report.devices.find((d) => d.ips.includes('10.97.0.20'))!;
  const mine = weak.find((f) => f.device === dev.id)!;
  assert.match(mine.detail, /^The device proposed a VPN with IKEv1 Aggressive Mode with a pre-shared key/);
  assert.match(mine.detail, /encryption 3DES_CBC/);
  assert.match(mine.detail, /Diffie-Hellman group 2 \(MODP_1024\)/);
  assert.deepEqual(mine.evidence.map((e) => e.packet).sort((a, b) => a - b), [18, 22]);
  const vendor = weak.find((f) => f.device !== dev.id)!;
  assert.match(vendor.detail, /^The device accepted a VPN with/);
  const ra = report.findings.filter((f) => f.rule === 'remote-access');
  assert.deepEqual(ra.map((f) => [f.device, f.title]), [[dev.id, 'VPN tunnel out of the site: IPsec']]);
  assert.ok(dev.risk.factors.some((x) => x.id === 'weak-vpn'));
});

test('ikeWeakness(): the strong IKEv2 proposal passes; each weak setting is named', () => {
  assert.equal(ikeWeakness({ version: '2.0', encryption: ['AES_GCM_16_256'], integrity: [], dh_groups: [20] }), null);
  assert.equal(ikeWeakness({ version: '2.0', encryption: ['AES_CBC_256'], integrity: ['HMAC_SHA2_256_128'], dh_groups: [14, 19, 31] }), null);
  const w = ikeWeakness({ version: '2.0', encryption: ['DES_CBC'], integrity: ['HMAC_MD5_96'], dh_groups: [1] })!;
  assert.deepEqual(w, { reasons: ['encryption DES_CBC', 'integrity HMAC_MD5_96 (MD5)', 'Diffie-Hellman group 1 (MODP_768)'], severe: true });
  assert.deepEqual(ikeWeakness({ version: '1.0', aggressive: false, auth_method: 'RSA_SIG', encryption: ['AES_CBC_256'], integrity: ['SHA2_256'], dh_groups: [14] }), { reasons: ['IKEv1, deprecated (RFC 9395)'], severe: false });
});

test('probe() and parseMessage(): the initiator first message is a yes, on 500 and behind the non-ESP marker', async () => {
  const flows = await flowBytes(GEN);
  const f500 = flows.find((f) => f.chunks.length > 0 && f.chunks[0].bytes.length > 28 && f.chunks[0].bytes[17] === 0x20)!;
  const init = f500.chunks[0].bytes;
  const resp = f500.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(init, 0, init.length, true), PROBE_YES);
  assert.equal(probe(resp, 0, resp.length, false), PROBE_MAYBE);
  assert.equal(probe(init, 0, init.length - 1, true), PROBE_NO, 'the length field must match the datagram');
  const marked = new Uint8Array(init.length + 4);
  marked.set(init, 4);
  assert.equal(probe(marked, 0, marked.length, true), PROBE_YES);
  const m = parseMessage(init, 0, init.length)!;
  assert.deepEqual([m.version, m.exchange, m.fromInitiator, m.isResponse, m.keGroup, m.proposals.length], [2, 34, true, false, 20, 1]);
  const dns = Uint8Array.from({ length: 40 }, (_, i) => (i === 2 ? 1 : 0));
  assert.equal(probe(dns, 0, dns.length, true), PROBE_NO);
});

test('the parser and the analyzer survive truncation and mutation of real messages', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of await flowBytes(GEN)) for (const c of f.chunks.slice(0, 8)) seeds.push(c.bytes);
  fuzzParser(seeds, (b) => {
    parseMessage(b, 0, b.length);
    parseMessage(b, 4, Math.max(0, b.length - 4));
    probe(b, 0, b.length, true);
    feedAnalyzer(new IkeAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
  }, { mutations: 100 });
});
