// AJP13 on nDPI's captures (test/fixtures/ndpi/ndpi-ajp.pcap: mod_jk's CPing and a POST to JBoss 5,
// the same flow copied on 8010, TLS and unanswered SYNs on 8009) against tshark 4.0's decode
// (ndpi-ajp.tshark.tsv) and ndpiReader 4.2's labels; and on the generated capture
// (test/fixtures/generated/ajp/generate.sh: a mod_jk-style request with the connector's secret,
// Nmap 7.93's ajp-headers/ajp-methods/ajp-request, a Ghostcat file read; the container synthetic)
// against tshark's decode of it (ajp/tshark.tsv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { AjpAnalyzer } from './analyzer.js';
import { bodyLength, packetLength, parseForwardRequest, parseSendHeaders } from './parse.js';
import { probe } from './probe.js';

const NDPI = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-ajp.pcap');
const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-ajp.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** tshark's method numbers, as its ajp13 dissector names them. */
const TSHARK_METHODS: Record<string, string> = { '1': 'OPTIONS', '2': 'GET', '4': 'POST' };

function tsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/** Every file an analysis wrote, as one text. */
function allOutput(dir: string): string {
  let out = '';
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    out += statSync(p).isDirectory() ? allOutput(p) : readFileSync(p, 'latin1');
  }
  return out;
}

test("ajp.log on nDPI's capture is tshark's decode of the request and its response; the TLS flow on 8009 is not AJP", async () => {
  const run = await runCaptures([NDPI]);
  try {
    const conns = run.log('conn');
    const ajp = conns.filter((c) => c.service === 'ajp').map((c) => `${String(c['id.orig_h'])}>${String(c['id.resp_p'])}`);
    assert.deepEqual(ajp, ['172.29.9.146>8009', '172.29.9.146>8010']);
    assert.equal(conns.find((c) => c['id.resp_h'] === '10.0.0.149' && c.service !== undefined)?.service, 'ssl');
    // tshark's frames 36 (request) and 40 (response) of the 8010 copy; its decode of the 8009 flow
    // is thrown off by FabricPath copies of the body packet (frame 18: "Unknown method 219"),
    // which wardline does not decode: both flows read as the 8010 one.
    const rows = tsv(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-ajp.tshark.tsv'));
    const req = rows.find((r) => r[0] === '36')!;
    const resp = rows.find((r) => r[0] === '40')!;
    assert.equal(rows.find((r) => r[0] === '18')![5], '219');
    const lines = run.log('ajp');
    assert.deepEqual(lines.map((l) => [l['id.resp_p'], l.kind, l.pong]), [[8009, 'cping', true], [8009, 'request', undefined], [8010, 'cping', true], [8010, 'request', undefined]]);
    for (const l of lines.filter((x) => x.kind === 'request')) {
      assert.deepEqual(
        [l.method, l.protocol, l.uri, l.remote_addr, l.remote_host, l.server_name, l.server_port, l.is_ssl, l.host, l.route],
        [TSHARK_METHODS[req[5]], req[6], req[7], req[8], req[9] === '' ? undefined : req[9], req[10], Number(req[11]), req[12] === '1', req[13], req[14]],
      );
      // tshark lists the req_attribute ones ("AJP_REMOTE_PORT: 5705,JK_LB_ACTIVATION: ACT") and the route.
      assert.deepEqual(l.attributes, ['route', ...req[15].split(',').map((a) => a.split(':')[0])]);
      assert.deepEqual([l.status_code, l.status_msg], [Number(resp[16]), resp[17]]);
      assert.deepEqual([l.request_body_len, l.powered_by, l.reuse, l.has_query, l.ghostcat], [219, 'Servlet 2.5; JBoss-5.0/JBossWeb-2.1, JSF/1.2', true, false, undefined]);
    }
    assert.deepEqual(run.log('weird'), []);
    // ndpiReader labels both flows AJP by inspection, the TLS one CiscoVPN.
    const labels = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-ajp.pcap.out'), 'utf8');
    assert.match(labels, /172\.29\.9\.146:38856 <-> 172\.29\.9\.147:8009 .*\[proto: 139\/AJP\]\[ClearText\]\[Confidence: DPI\]/);
    assert.match(labels, /10\.0\.0\.149:8009 \[proto: 161\/CiscoVPN\]/);
  } finally {
    run.cleanup();
  }
});

test('ajp.log on the generated capture: the forwarded request, the Nmap scripts and the Ghostcat read, as tshark decodes them; no secret, password, token or query value in any output', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const lines = run.log('ajp');
    const reqs = lines.filter((l) => l.kind === 'request');
    const rows = tsv(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'ajp', 'tshark.tsv'));
    const tReq = rows.filter((r) => r[3] === '2');
    const tResp = rows.filter((r) => r[3].startsWith('4'));
    assert.equal(reqs.length, tReq.length);
    reqs.forEach((l, i) => {
      const r = tReq[i];
      assert.deepEqual([l.method, l.protocol, l.uri, l.remote_addr, l.server_name, l.server_port, l.is_ssl, l.host], [TSHARK_METHODS[r[4]], r[5], r[6], r[7], r[8], Number(r[9]), r[10] === '1', r[11]]);
      assert.equal(l.auth_scheme, r[12] === '' ? undefined : r[12].split(' ')[0].toLowerCase());
      assert.equal(l.has_query, r[13] !== '');
      assert.deepEqual([l.status_code, l.status_msg, l.content_type], [Number(tResp[i][15]), tResp[i][16], tResp[i][17] === '' ? undefined : tResp[i][17]]);
    });
    const [proxy, , , , basic, ghost] = reqs;
    assert.deepEqual([lines[0].kind, lines[0].pong], ['cping', true]);
    assert.deepEqual([proxy.secret, proxy.attributes, proxy.request_body_len, proxy.server, proxy.response_body_len], ['<redacted>', ['query_string', 'secret', 'AJP_REMOTE_PORT', 'ssl_cipher'], 26, 'Apache-Coyote/1.1', 29]);
    assert.deepEqual([basic.username, basic.password], ['tomcat', '<redacted>']);
    assert.deepEqual([ghost.ghostcat, ghost.include_path, ghost.response_body_len], [true, '/WEB-INF/web.xml', 195]);
    assert.equal(reqs.filter((l) => l.ghostcat === true).length, 1);
    assert.deepEqual(run.log('software').map((s) => [s.host, s.software_type, s.unparsed_version]), [['10.98.0.20', 'AJP::SERVER', 'Apache-Coyote/1.1']]);
    assert.deepEqual(run.log('weird'), []);
    const text = allOutput(run.outDir);
    for (const s of ['Tr0ub4dor', 's3cret-Tomcat', 'dG9tY2F0OnMzY3JldC1Ub21jYXQ', 'eyJhbGciOiJIUzI1NiJ9', '00482913', 'visit=7731']) assert.ok(!text.includes(s), s);
  } finally {
    run.cleanup();
  }
});

test('the container is a server with its software; remote_addr is no device; AJP in clear is a finding with the AJP remediation', async () => {
  const { devices } = await runInventory([GENERATED, NDPI]);
  const app = deviceWithIp(devices, '10.98.0.20')!;
  assert.equal(app.category, 'server');
  assert.ok(deviceWithIp(devices, '172.29.9.147')!.category === 'server');
  // The clients behind the web servers are claims, not hosts seen.
  assert.equal(deviceWithIp(devices, '10.20.30.40'), undefined);
  assert.equal(deviceWithIp(devices, '172.29.0.129'), undefined);
  const a = await assessCaptures([GENERATED]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => [f.device, f.title]), [['ip:10.98.0.20', 'Clear-text AJP13 (Apache JServ) served on port 8009']]);
    // Nmap's ajp-request sent Basic credentials: a clear-text credential of the container's.
    assert.deepEqual(a.result.findings.filter((f) => f.rule === 'cleartext-credentials').map((f) => [f.device, f.title]), [['ip:10.98.0.20', 'Credentials sent in clear text: AJP on port 8009']]);
    assert.match(clear[0].remediation, /secretRequired/);
    assert.match(clear[0].remediation, /CVE-2020-1938/);
    const text = JSON.stringify(a.result);
    for (const s of ['Tr0ub4dor', 's3cret-Tomcat', 'eyJhbGciOiJIUzI1NiJ9', '00482913']) assert.ok(!text.includes(s), s);
  } finally {
    a.run.cleanup();
  }
});

test('probe(): AJP packet headers by direction on any port; HTTP, TLS and random bytes are not AJP', () => {
  const cping = Uint8Array.of(0x12, 0x34, 0, 1, 10);
  const cpong = Uint8Array.of(0x41, 0x42, 0, 1, 9);
  assert.equal(probe(cping, 0, cping.length, true, 6, 8009), PROBE_YES);
  assert.equal(probe(cping, 0, cping.length, true, 6, 18009), PROBE_YES);
  assert.equal(probe(cpong, 0, cpong.length, false, 6, 18009), PROBE_YES);
  // Each magic only in its own direction, and TCP only.
  assert.equal(probe(cping, 0, cping.length, false, 6, 8009), PROBE_NO);
  assert.equal(probe(cpong, 0, cpong.length, true, 6, 8009), PROBE_NO);
  assert.equal(probe(cping, 0, cping.length, true, 17, 8009), PROBE_NO);
  // A CPing whose length is not one byte, a type the web server never sends.
  assert.equal(probe(Uint8Array.of(0x12, 0x34, 0, 9, 10), 0, 5, true, 6, 8009), PROBE_NO);
  assert.equal(probe(Uint8Array.of(0x12, 0x34, 0, 1, 4), 0, 5, true, 6, 8009), PROBE_NO);
  // A Send Body Chunk alone is a maybe on 8009 only.
  const chunk = Uint8Array.of(0x41, 0x42, 0, 8, 3, 0, 4, 0x61, 0x62, 0x63, 0x64, 0);
  assert.equal(probe(chunk, 0, chunk.length, false, 6, 8009), PROBE_MAYBE);
  assert.equal(probe(chunk, 0, chunk.length, false, 6, 8080), PROBE_NO);
  const http = enc('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const tls = Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03);
  const tlsData = Uint8Array.of(0x17, 0x03, 0x03, 0x00, 0x69, 0xe5, 0x11, 0x04);
  for (const b of [http, tls, tlsData]) for (const isOrig of [true, false]) assert.equal(probe(b, 0, b.length, isOrig, 6, 8009), PROBE_NO);
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    const b = new Uint8Array(32);
    for (let j = 0; j < b.length; j++) b[j] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    if ((b[0] === 0x12 && b[1] === 0x34) || (b[0] === 0x41 && b[1] === 0x42)) continue;
    assert.equal(probe(b, 0, b.length, i % 2 === 0, 6, 8009), PROBE_NO);
  }
});

test('parsers: framing by direction, body packets, a truncated request, a stored method; fuzzing over real payloads', async () => {
  assert.equal(packetLength(Uint8Array.of(0x12, 0x34, 0x03, 0x36), 0, 4, true), 4 + 822);
  assert.equal(packetLength(Uint8Array.of(0x41, 0x42, 0, 2), 0, 4, true), -1);
  assert.equal(packetLength(Uint8Array.of(0x41), 0, 1, false), 0);
  assert.equal(bodyLength(Uint8Array.of(0, 2, 0x61, 0x62), 0, 4), 2);
  assert.equal(bodyLength(Uint8Array.of(2, 4, 0, 8), 0, 4), -1);
  const flows = await flowBytes(GENERATED);
  const proxy = flows[0].stream(true);
  // The Forward Request after the CPing (5 bytes) and its 4-byte header.
  const n = (proxy[7] << 8) | proxy[8];
  const r = parseForwardRequest(proxy, 9, n)!;
  assert.deepEqual([r.method, r.uri, r.has_query, r.has_secret, r.auth_scheme, r.content_length], ['POST', '/ehr/orders/new.do', true, true, 'bearer', 26]);
  assert.ok(!JSON.stringify(r).includes('Tr0ub4dor'));
  for (let cut = 1; cut < n - 1; cut++) assert.equal(parseForwardRequest(proxy, 9, cut), null, `cut at ${cut}`);
  // SC_M_JK_STORED (0xFF): the method's name is in attribute 0x0D.
  const stored = Uint8Array.of(2, 0xff, 0xff, 0xff, 0, 1, 0x2f, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 80, 0, 0, 0, 0x0d, 0, 5, ...enc('PATCH'), 0, 0xff);
  assert.equal(parseForwardRequest(stored, 0, stored.length)!.method, 'PATCH');
  assert.deepEqual(parseSendHeaders(Uint8Array.of(4, 1, 0x94, 0xff, 0xff, 0, 0), 0, 7), { status: 404, status_msg: undefined });
  // A request unanswered when the connection ends is still logged; an unknown type is a weird.
  const out = feedAnalyzer(new AjpAnalyzer(), [
    { isOrig: true, bytes: Uint8Array.of(0x12, 0x34, 0, 1, 10, 0x12, 0x34, 0, 1, 0x63) },
  ]);
  assert.deepEqual(out.events.filter((e) => e.type === 'ajp.exchange').map((e) => [e.kind, e.pong]), [['cping', undefined]]);
  assert.deepEqual(out.weirds, ['ajp.unknown_message']);
  const seeds = [...flows, ...(await flowBytes(NDPI))].flatMap((f) => f.chunks.map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new AjpAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
    parseForwardRequest(b, 4, b.length - 4);
    parseSendHeaders(b, 4, b.length - 4);
  });
});
