// PPTP analyzer tests on the generated generated-pptp.pcap (pptp-linux 1.10.0 against pptpd
// 1.4.0; test/fixtures/generated/pptp/generate.sh), with tshark's PPTP dissector as the
// expectation: frames 15 Start-Control-Connection-Request (version 1.0, host "local", vendor
// "cananian"), 17 the reply (Successful channel establishment, host "local", vendor "linux"), 20
// Outgoing-Call-Request, 21 Outgoing-Call-Reply (Connected), 23 Call-Clear-Request. No capture in
// the corpus carries PPTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { PptpAnalyzer } from './analyzer.js';
import { parseMessage } from './parse.js';
import { probe } from './probe.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-pptp.pcap');

test('pptp.log: both sides\' host and vendor names, the control and call results, as tshark reads them', async () => {
  const run = await runCaptures([GEN]);
  try {
    const [r] = run.log('pptp');
    assert.deepEqual(
      [r['id.resp_p'], r.version, r.client_hostname, r.client_vendor, r.server_hostname, r.server_vendor, r.control_result, r.calls, r.call_result, r.established],
      [1723, '1.0', 'local', 'cananian', 'local', 'linux', 'Successful channel establishment', 1, 'Connected', true],
    );
    assert.equal(run.log('conn').find((c) => c['id.resp_p'] === 1723)!.service, 'pptp');
  } finally {
    run.cleanup();
  }
});

test('PPTP is weak-vpn (high) on both ends and a tunnel the device opened', async () => {
  const { report } = await runPipeline([GEN], { outDir: null, kb: testKb() }, INVENTORY);
  const dev = report.devices.find((d) => d.ips.includes('10.97.0.20'))!;
  const weak = report.findings.filter((f) => f.rule === 'weak-vpn');
  assert.equal(weak.length, 2);
  assert.ok(weak.every((f) => f.severity === 'high' && /PPTP \(its MS-CHAPv2 login falls to one DES key search/.test(f.detail)));
  assert.deepEqual(weak.map((f) => f.evidence[0].packet), [15, 15]);
  const ra = report.findings.filter((f) => f.rule === 'remote-access');
  assert.deepEqual(ra.map((f) => [f.device, f.title]), [[dev.id, 'VPN tunnel out of the site: PPTP']]);
  assert.match(ra[0].remediation, /PPTP: TCP 1723 and GRE/);
});

test('probe(): a Start-Control-Connection-Request is a yes, the reply a maybe, anything else no', async () => {
  const [f] = (await flowBytes(GEN)).filter((x) => x.proto === 6);
  const rq = f.chunks.find((c) => c.isOrig)!.bytes;
  const rp = f.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(rq, 0, rq.length, true), PROBE_YES);
  assert.equal(probe(rp, 0, rp.length, false), PROBE_MAYBE);
  assert.equal(probe(rq, 0, rq.length, false), PROBE_NO);
  assert.deepEqual(parseMessage(rq, 0, 156), { type: 1, version: '1.0', hostname: 'local', vendor: 'cananian' });
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
});

test('the parser and the analyzer survive truncation and mutation of real messages', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of await flowBytes(GEN)) for (const c of f.chunks) seeds.push(c.bytes);
  fuzzParser(seeds, (b) => {
    parseMessage(b, 0, b.length);
    probe(b, 0, b.length, true);
    feedAnalyzer(new PptpAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
  }, { mutations: 100 });
});
