// OPC UA against real captures: nDPI's opc-ua.pcap (an open62541 client and server on loopback:
// Hello, OpenSecureChannel with SecurityPolicy None, GetEndpoints, CreateSession, ActivateSession
// with a user name and a clear password, Read, CloseSession, CloseSecureChannel) checked against
// nDPI's flow label and Wireshark's opcua dissector, and Arkime's opcua_synthetic.pcap (five
// channels, two policies signed and encrypted) against Arkime's session JSON. Plus probe, a
// synthetic Error message (no corpus capture carries one) and fuzz tests on the real chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows } from '../../testutil/peers.js';
import { payloads } from '../../testutil/payloads.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { secretDigest } from '../secret.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import type { AppEvent } from '../types.js';
import { OpcuaAnalyzer } from './analyzer.js';
import { HEADER_LEN, SEQUENCE_HEADER_LEN, SYMMETRIC_HEADER_LEN, parseError, parseHeader, parseHello, parseOpenHeader, parseReverseHello, parseService } from './parse.js';
import { policyName, statusName } from './names.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const NDPI = (): string => corpus('ndpi', 'pcap', 'opc-ua.pcap');
const ARKIME = (): string => corpus('arkime', 'tests', 'pcap', 'opcua_synthetic.pcap');

// Wireshark 4.0.17's opcua dissector on opc-ua.pcap:
//   tshark -r opc-ua.pcap -Y opcua -T fields -e opcua.transport.type -e opcua.transport.ver
//     -e opcua.transport.endpoint -e opcua.security.spu -e opcua.MessageSecurityMode
//     -e opcua.servicenodeid.numeric -e opcua.UserName -e opcua.ApplicationUri -e opcua.ProductUri
//   and `-V` for frames 15 (ApplicationName) and 21 (UserNameIdentityToken, Password, EncryptionAlgorithm).
const WIRESHARK = {
  endpoint: 'opc.tcp://localhost:4840',
  version: 0,
  policy: 'http://opcfoundation.org/UA/SecurityPolicy#None',
  mode: 0x00000001,
  // 446/449 OpenSecureChannel, 428/431 GetEndpoints, 461/464 CreateSession, 467/470 ActivateSession,
  // 631/634 Read, 473/476 CloseSession, 452 CloseSecureChannel.
  services: ['OpenSecureChannel', 'GetEndpoints', 'CreateSession', 'ActivateSession', 'Read', 'CloseSession', 'CloseSecureChannel'],
  applicationUri: 'urn:open62541.server.application',
  productUri: 'http://open62541.org',
  applicationName: 'open62541-based OPC UA Application',
  clientApplicationUri: 'urn:unconfigured:application',
  user: 'user1',
  /** "Password: 70617373776f7264", "EncryptionAlgorithm: [OpcUa Null String]" (frame 21). */
  passwordHex: '70617373776f7264',
};

async function realChunks(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of [NDPI(), ARKIME()]) for (const x of await payloads(p, { proto: 6 })) out.push(x.bytes);
  return out;
}

test('probe() is certain of a real Hello and rejects other first payloads', { skip }, async () => {
  const hel = (await payloads(NDPI(), { proto: 6 }))[0].bytes;
  assert.equal(probe(hel, 0, hel.length, true), PROBE_CERTAIN);
  assert.equal(probe(hel, 0, 3, true), PROBE_MAYBE);
  assert.equal(probe(hel, 0, hel.length, false), PROBE_NO);
  const v1 = Uint8Array.from(hel);
  v1[HEADER_LEN] = 1;
  assert.equal(probe(v1, 0, v1.length, true), PROBE_NO, 'protocol version 0 only');
  const http = new TextEncoder().encode('HELO mail.example.org\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
});

test('parseHeader() and parseHello() read the real Hello as Wireshark does', { skip }, async () => {
  const hel = (await payloads(NDPI(), { proto: 6 }))[0].bytes;
  const h = parseHeader(hel, 0, hel.length);
  assert.ok(typeof h === 'object');
  assert.deepEqual([h.type, h.chunk, h.size], ['HEL', 'F', hel.length]);
  const m = parseHello(hel, HEADER_LEN, hel.length - HEADER_LEN, true);
  assert.ok(m !== 'bad');
  assert.equal(m.version, WIRESHARK.version);
  assert.equal(m.endpointUrl, WIRESHARK.endpoint);
});

test('every flow nDPI labels OPC-UA gets conn service opcua and an opcua.log line matching Wireshark', { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi', 'result', 'opc-ua.pcap.out')).filter((f) => f.app.split('.')[0] === 'OPC-UA');
  assert.ok(flows.length > 0);
  const events: AppEvent[] = [];
  const run = await runCaptures([NDPI()], undefined, { onEvent: (e) => void (e.type === 'credential' && events.push({ ...e })) });
  try {
    const conns = run.log('conn');
    for (const f of flows) {
      const c = conns.find((r) => r['id.orig_p'] === f.aPort && r['id.resp_p'] === f.bPort);
      assert.equal(c?.service, 'opcua', f.line);
    }
    const logs = run.log('opcua');
    assert.equal(logs.length, flows.length);
    const l = logs[0];
    assert.deepEqual(l.msg_types, ['HEL', 'ACK', 'OPN', 'MSG', 'CLO']);
    assert.equal(l.protocol_version, WIRESHARK.version);
    assert.equal(l.endpoint_url, WIRESHARK.endpoint);
    assert.equal(l.security_policy_uri, WIRESHARK.policy);
    assert.equal(l.security_policy, 'None');
    assert.equal(l.security_mode, 'None', `MessageSecurityMode ${WIRESHARK.mode} is None`);
    assert.equal(l.insecure, true);
    assert.equal(l.client_certificate, false);
    assert.deepEqual(l.services, WIRESHARK.services);
    assert.equal(l.application_uri, WIRESHARK.applicationUri);
    assert.equal(l.product_uri, WIRESHARK.productUri);
    assert.equal(l.application_name, WIRESHARK.applicationName);
    assert.equal(l.application_type, 'Server');
    assert.equal(l.client_application_uri, WIRESHARK.clientApplicationUri);
    assert.equal(l.identity_token, 'UserNameIdentityToken');
    assert.equal(l.user, WIRESHARK.user);
    assert.equal(l.password, '<redacted>');
    assert.equal(l.status, 'Good');
    // The clear password is readable (no EncryptionAlgorithm): one credential event, digest only.
    assert.equal(events.length, 1);
    const pw = Buffer.from(WIRESHARK.passwordHex, 'hex');
    assert.deepEqual(
      { protocol: events[0].protocol, user: events[0].user, secret: events[0].secret, success: events[0].success, host_p: events[0].host_p },
      { protocol: 'opcua', user: WIRESHARK.user, secret: secretDigest(pw), success: true, host_p: 4840 },
    );
    const text = readFileSync(`${run.outDir}/logs/opcua.log`, 'utf8') + JSON.stringify(run.result.events ?? []);
    // As a value, not the key "password" that carries "<redacted>".
    assert.ok(!text.includes(`:"${pw.toString('utf8')}"`), 'the clear password appears in no log value');
    assert.ok(!text.includes(WIRESHARK.passwordHex));
  } finally {
    run.cleanup();
  }
});

test('the stream split into one-byte pieces gives the same summary', { skip }, async () => {
  const flow = (await flowBytes(NDPI())).find((f) => f.rPort === 4840)!;
  const whole = feedAnalyzer(new OpcuaAnalyzer(), flow.chunks);
  const bytes = flow.chunks.flatMap((c) => Array.from(c.bytes, (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) })));
  const split = feedAnalyzer(new OpcuaAnalyzer(), bytes);
  const strip = (evs: AppEvent[]): unknown[] => evs.map((e) => ({ ...e, tsSec: 0, tsNsec: 0, packet: 0 }));
  assert.deepEqual(strip(split.events), strip(whole.events));
  assert.deepEqual(whole.services, ['opcua']);
  assert.deepEqual(whole.weirds, []);
});

test("Arkime's opcua_synthetic.pcap: every session's endpointUrl and securityPolicyUri", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'opcua_synthetic.test'));
  const run = await runCaptures([ARKIME()]);
  try {
    const logs = run.log('opcua');
    const conns = run.log('conn');
    assert.equal(logs.length, sessions.length);
    for (const s of sessions) {
      const src = (s.source as { port: number }).port;
      const want = s.opcua as { endpointUrl?: string[]; securityPolicyUri: string[] };
      const l = logs.find((r) => r['id.orig_p'] === src)!;
      assert.ok(l !== undefined, `session from port ${src}`);
      assert.equal(l.endpoint_url, want.endpointUrl?.[0], `endpoint of ${src}`);
      assert.equal(l.security_policy_uri, want.securityPolicyUri[0]);
      assert.equal(l.security_policy, policyName(want.securityPolicyUri[0]));
      const none = want.securityPolicyUri[0].endsWith('#None');
      assert.equal(l.insecure, none ? true : undefined);
      // With a real policy the OPN body is encrypted: its mode is not read (Wireshark, given no
      // keys, decodes the synthetic bytes anyway; these captures' bodies are not really encrypted).
      assert.equal(l.security_mode, none ? 'None' : undefined);
      assert.equal(l.client_certificate, !none);
      assert.equal(conns.find((c) => c['id.orig_p'] === src)?.service, 'opcua');
    }
  } finally {
    run.cleanup();
  }
});

test('an Error message is logged with its status name and reason (synthetic: no corpus capture has ERR)', () => {
  const reason = new TextEncoder().encode('Endpoint unknown');
  const err = new Uint8Array(HEADER_LEN + 8 + reason.length);
  err.set(new TextEncoder().encode('ERRF'), 0);
  const dv = new DataView(err.buffer);
  dv.setUint32(4, err.length, true);
  dv.setUint32(8, 0x80830000, true);
  dv.setInt32(12, reason.length, true);
  err.set(reason, 16);
  const hel = new Uint8Array(HEADER_LEN + 24);
  hel.set(new TextEncoder().encode('HELF'), 0);
  new DataView(hel.buffer).setUint32(4, hel.length, true);
  new DataView(hel.buffer).setInt32(HEADER_LEN + 20, -1, true);
  const out = feedAnalyzer(new OpcuaAnalyzer(), [{ isOrig: true, bytes: hel }, { isOrig: false, bytes: err }]);
  assert.equal(out.events.length, 1);
  assert.equal(out.events[0].error, 'BadTcpEndpointUrlInvalid');
  assert.equal(out.events[0].error_reason, 'Endpoint unknown');
  assert.deepEqual(out.events[0].msg_types, ['HEL', 'ERR']);
  assert.equal(statusName(0x80830000), 'BadTcpEndpointUrlInvalid');
  assert.equal(statusName(0x12345678), '0x12345678', 'unnamed codes print as hex');
});

test('a stream that is not OPC UA breaks framing with a weird and emits nothing', () => {
  const junk = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const out = feedAnalyzer(new OpcuaAnalyzer(), [{ isOrig: true, bytes: junk }]);
  assert.deepEqual(out.events, []);
  assert.deepEqual(out.weirds, ['opcua.bad_header']);
  assert.deepEqual(out.services, []);
});

test('parsers survive truncation and mutation of the real chunks', { skip }, async () => {
  const seeds = await realChunks();
  assert.ok(seeds.length > 50);
  fuzzParser(seeds.slice(0, 40), (b) => {
    probe(b, 0, b.length, true);
    const h = parseHeader(b, 0, b.length);
    const bo = HEADER_LEN;
    const bl = Math.max(0, b.length - HEADER_LEN);
    parseHello(b, bo, bl, true);
    parseError(b, bo, bl);
    parseReverseHello(b, bo, bl);
    const o = parseOpenHeader(b, bo, bl);
    if (o !== 'bad') parseService(b, o.bodyOff + SEQUENCE_HEADER_LEN, Math.max(0, b.length - o.bodyOff - SEQUENCE_HEADER_LEN));
    const mo = bo + SYMMETRIC_HEADER_LEN + SEQUENCE_HEADER_LEN;
    if (typeof h === 'object' || b.length > mo) parseService(b, mo, Math.max(0, b.length - mo));
  });
});

test('the analyzer survives mutated real streams', { skip }, async () => {
  const flow = (await flowBytes(NDPI())).find((f) => f.rPort === 4840)!;
  const orig = flow.stream(true);
  const resp = flow.stream(false);
  fuzzParser([orig.subarray(0, 2048), resp.subarray(0, 4096)], (b) => {
    feedAnalyzer(new OpcuaAnalyzer(), [{ isOrig: true, bytes: orig.subarray(0, 64) }, { isOrig: false, bytes: b }, { isOrig: true, bytes: b }]);
  }, { mutations: 200 });
});
