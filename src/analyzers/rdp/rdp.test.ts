// RDP tests against real captures: Zeek's rdp.log baselines (negotiation failure, standard RDP
// security with RSA and X.509 certificates, TLS/HYBRID, unknown keyboard layout), Suricata's
// rdp-protocol client data, nDPI's RDP flows; probing (also against S7comm, which shares TPKT
// and X.224), fuzzing on real PDUs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { ndpiFlows, recordStreams, splitPdus, suricataChecks, TestContext, zeekValue } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { parseConnectInitial, parseConnectResponse, parseConnectionConfirm, parseConnectionRequest, rdpFrameLength } from './parse.js';
import { BUILDS, keyboardLayout } from './consts.js';
import { probe } from './probe.js';
import { RdpAnalyzer } from './analyzer.js';
import { RDP } from './index.js';
import { PROBE_NO, PROBE_YES } from '../types.js';

const skip = !haveCorpus() && 'shared corpus not present';

/** The rdp.log columns Zeek logs (taken from its baselines, not from our own field list). */
function zeekColumns(): string[] {
  const cols = new Set<string>();
  for (const { baseline } of baselines) {
    const rows = readZeekTsv(baseline);
    for (const k of Object.keys(rows[0] ?? {})) if (!['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'].includes(k)) cols.add(k);
  }
  return [...cols];
}

function asZeek(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

const baselines = skip ? [] : zeekBaselines('rdp.log');

test('the corpus has Zeek rdp.log baselines to compare with', { skip }, () => {
  assert.ok(baselines.length >= 4);
  assert.ok(zeekColumns().includes('cookie') && zeekColumns().length >= 10, `columns: ${zeekColumns()}`);
});

for (const { trace, baseline } of baselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`rdp.log matches Zeek's ${name}`, { skip }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('rdp');
      assert.equal(got.length, want.length);
      for (const w of want) {
        const g = got.find((x) => String(x['id.orig_p']) === w['id.orig_p'] && x['id.resp_h'] === w['id.resp_h'])!;
        assert.ok(g, `connection from port ${w['id.orig_p']}`);
        for (const f of zeekColumns()) assert.equal(asZeek(g[f]), zeekValue(w[f]), `${w['id.orig_p']} ${f}`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test("client data matches Suricata's rdp-protocol expectations (cookie, build, name, size, product id, channels)", { skip }, async () => {
  const checks = suricataChecks(corpus('suricata-verify/tests/rdp-protocol/test.yaml'));
  const cookie = checks.find((c) => c.match['rdp.event_type'] === 'initial_request')!.match;
  const client = checks.find((c) => c.match['rdp.event_type'] === 'connect_request')!.match;
  const run = await runCaptures([corpus('suricata-verify/tests/rdp-protocol/RDP-003.pcap')]);
  try {
    const [r] = run.log('rdp');
    assert.equal(r.cookie, cookie['rdp.cookie']);
    assert.equal(r.client_name, client['rdp.client.client_name']);
    assert.equal(String(r.desktop_height), client['rdp.client.desktop_height']);
    assert.equal(r.client_dig_product_id, client['rdp.client.id']);
    assert.deepEqual(r.client_channels, [client['rdp.channels[0]'], client['rdp.channels[1]'], client['rdp.channels[2]']]);
    // Suricata names build 2600 "Windows XP"; Zeek (and wardline) call it "RDP 5.1".
    const suricataBuilds: Record<string, number> = { 'Windows XP': 2600, 'Windows 7': 7601, 'Windows 8.1': 9600 };
    assert.equal(r.client_build, BUILDS[suricataBuilds[client['rdp.client.build']]]);
    const svc = run.conns.find((c) => c.rPort === 3389)!.service;
    assert.ok(svc.split(',').includes('rdp'));
  } finally {
    run.cleanup();
  }
});

for (const pcap of ['rdp3.pcap', 'rdp_over_tls.pcap']) {
  test(`conn.log service is rdp where nDPI finds RDP (${pcap})`, { skip }, async () => {
    const flows = ndpiFlows(corpus('ndpi/result', `${pcap}.out`)).filter((f) => f.proto === 'TCP' && /RDP/.test(f.app));
    assert.ok(flows.length >= 1);
    const run = await runCaptures([corpus('ndpi/pcap', pcap)]);
    try {
      for (const f of flows) {
        const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
        assert.ok(c.service.split(',').includes('rdp'), f.line);
      }
      // nDPI sees TLS carrying RDP (TLS.RDP): wardline's record says the session went encrypted.
      if (flows.some((f) => f.app.startsWith('TLS'))) assert.equal(run.log('rdp')[0].result, 'encrypted');
    } finally {
      run.cleanup();
    }
  });
}

test("keyboardLayout() falls back to the language part as Zeek's 'Best Guess' does", () => {
  assert.equal(keyboardLayout(0x409), 'English - United States');
  assert.equal(keyboardLayout(263198), 'Thai (Best Guess for 263198)');
  assert.equal(keyboardLayout(0x7fff0000), `keyboard-${0x7fff0000}`);
});

// ---- secrets ---------------------------------------------------------------------------------

test('rdp.log holds only connection-sequence fields: nothing past the security exchange is read', { skip }, async () => {
  // The fixtures' Client Info PDUs (user name and password) are RC4- or TLS-encrypted; the
  // analyzer stops at the server security data, so no later client field can reach a log.
  const allowed = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', ...zeekColumns()]);
  for (const { trace } of baselines) {
    const run = await runCaptures([trace]);
    try {
      for (const r of run.log('rdp')) for (const k of Object.keys(r)) assert.ok(allowed.has(k), `${trace}: field ${k}`);
    } finally {
      run.cleanup();
    }
  }
});

// ---- probe and off-port detection ------------------------------------------------------------

test('probe() recognises the RDP connection request and not S7comm on the same TPKT/X.224 framing', { skip }, async () => {
  for (const { trace } of baselines) {
    const s = (await recordStreams(trace)).find((x) => x.rPort === 3389 && x.orig.length > 0)!;
    assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_YES, trace);
  }
  const s7 = (await recordStreams(corpus('ndpi/pcap/s7comm.pcap'))).find((x) => x.rPort === 102 && x.orig.length > 0)!;
  assert.notEqual(probe(s7.orig, 0, s7.orig.length, true), PROBE_YES);
  const [smb] = (await recordStreams(corpus('zeek/traces/smb/smb3.pcap'))).filter((x) => x.rPort === 445);
  assert.equal(probe(smb.orig, 0, smb.orig.length, true), PROBE_NO);
});

test('RDP is found without port hints (rdp-x509.pcap with an empty port list)', { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/rdp/rdp-x509.pcap')], [{ ...RDP, ports: [] }]);
  try {
    const [r] = run.log('rdp');
    assert.equal(r.client_name, zeekValue(readZeekTsv(corpus('zeek/baselines/scripts.base.protocols.rdp.rdp-x509/rdp.log'))[0].client_name));
  } finally {
    run.cleanup();
  }
});

// ---- robustness ------------------------------------------------------------------------------

test('RDP parsers survive truncation and mutation of real PDUs', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const f of ['zeek/traces/rdp/rdp-x509.pcap', 'zeek/traces/rdp/rdp-proprietary-encryption.pcap', 'ndpi/pcap/rdp3.pcap']) {
    for (const s of await recordStreams(corpus(f))) seeds.push(...splitPdus(s.orig, rdpFrameLength).slice(0, 3), ...splitPdus(s.resp, rdpFrameLength).slice(0, 3));
  }
  assert.ok(seeds.length >= 10);
  fuzzParser(
    seeds.map((s) => s.subarray(0, 1500)),
    (b) => {
      parseConnectionRequest(b, 0, b.length);
      parseConnectionConfirm(b, 0, b.length);
      parseConnectInitial(b, 0, b.length);
      parseConnectResponse(b, 0, b.length);
      rdpFrameLength(b, 0, b.length);
    },
    { mutations: 150 },
  );
});

test('the RDP analyzer survives mutated real streams', { skip }, async () => {
  const streams = await recordStreams(corpus('zeek/traces/rdp/rdp-x509.pcap'));
  fuzzParser(
    streams.flatMap((s) => [s.orig.subarray(0, 2500), s.resp.subarray(0, 2500)]),
    (b) => {
      const a = new RdpAnalyzer();
      const ctx = new TestContext(6, 50000, 3389);
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 80, maxMs: 500 },
  );
});
