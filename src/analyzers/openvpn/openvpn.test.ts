// OpenVPN analyzer tests. Real captures: nDPI's openvpn-tlscrypt.pcap (OpenVPN 2.5 with
// tls-crypt-v2, labelled OpenVPN by nDPI; opcodes counted by tshark's OpenVPN dissector) and the
// generated generated-vpn-tunnels.pcap (OpenVPN 2.6 in TLS mode over UDP 1194 and with tls-auth
// HMAC-SHA256 over TCP 443; test/fixtures/generated/vpn/generate.sh), whose packet counts, TLS
// versions and cipher suites are tshark's (`-o openvpn.tls_auth:TRUE -o
// openvpn.tls_auth_hmac_size:32` for the TCP session) and whose certificate names are those the
// script issued. No capture of OpenVPN with tls-auth over UDP or of an MD5/SHA1 HMAC exists here;
// wrapOf() is tried on the real packets re-wrapped for those layouts (synthetic, said so below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { OpenvpnAnalyzer } from './analyzer.js';
import { parseControl, wrapOf } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const NDPI = corpus('ndpi', 'pcap', 'openvpn-tlscrypt.pcap');
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-vpn-tunnels.pcap');

test("nDPI's tls-crypt-v2 session: service openvpn, mode and packet counts as tshark reads them", { skip }, async () => {
  const run = await runCaptures([NDPI]);
  try {
    const conn = run.log('conn').find((c) => c['id.resp_p'] === 1194)!;
    assert.equal(conn.service, 'openvpn');
    const [o] = run.log('openvpn');
    // tshark: P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1 from the client, one
    // HARD_RESET_SERVER_V2, 6 P_CONTROL_V1 and 4 P_ACK_V1: 13 control packets, no data.
    assert.deepEqual(
      { mode: o.mode, client_resets: o.client_resets, server_resets: o.server_resets, control_packets: o.control_packets, data_packets: o.data_packets, established: o.established },
      { mode: 'tls-crypt-v2', client_resets: 1, server_resets: 1, control_packets: 13, data_packets: 0, established: false },
    );
    // tls-crypt encrypts the control channel: no TLS is read from it.
    assert.equal(run.log('ssl').length, 0);
  } finally {
    run.cleanup();
  }
});

test('generated tunnels: TLS mode over UDP and tls-auth SHA256 over TCP 443, the TLS inside in ssl.log and x509.log', async () => {
  const run = await runCaptures([GEN]);
  try {
    const ovpn = new Map(run.log('openvpn').map((r) => [r['id.resp_p'], r]));
    // tshark: UDP 16 control packets (9 P_CONTROL_V1, 5 P_ACK_V1, the two resets) and 8
    // P_DATA_V2; TCP 13 control (8, 3, 2) and 10 P_DATA_V2.
    assert.deepEqual(ovpn.get(1194), { ...ovpn.get(1194), mode: 'tls', client_resets: 1, server_resets: 1, control_packets: 16, data_packets: 8, established: true });
    assert.equal(ovpn.get(1194)!.hmac, undefined);
    assert.deepEqual(ovpn.get(443), { ...ovpn.get(443), mode: 'tls-auth', hmac: 'SHA256', client_resets: 1, server_resets: 1, control_packets: 13, data_packets: 10, established: true });
    const services = new Map(run.log('conn').map((c) => [c['id.resp_p'], c.service]));
    assert.equal(services.get(1194), 'openvpn,ssl');
    assert.equal(services.get(443), 'openvpn,ssl');
    // tshark's ServerHello: 0x1302 with supported_versions 0x0304 over UDP, 0xc030 over TCP.
    const ssl = new Map(run.log('ssl').map((r) => [r['id.resp_p'], r]));
    assert.equal(ssl.get(1194)!.version, 'TLSv13');
    assert.equal(ssl.get(1194)!.cipher, 'TLS_AES_256_GCM_SHA384');
    assert.equal(ssl.get(443)!.version, 'TLSv12');
    assert.equal(ssl.get(443)!.cipher, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    // TLS 1.2 shows both certificates the script issued.
    assert.equal(ssl.get(443)!.subject, 'CN=vpn.vendor.example,O=Vendor Remote Service');
    assert.equal(ssl.get(443)!.client_subject, 'CN=CT-SCANNER-SN4711,O=Vendor Remote Service');
    assert.ok(run.log('x509').some((x) => x['certificate.subject'] === 'CN=CT-SCANNER-SN4711,O=Vendor Remote Service'));
  } finally {
    run.cleanup();
  }
});

test('the device that opened the tunnels gets a remote-access finding per product, each tunnel in its detail', async () => {
  const { report } = await runPipeline([GEN], { outDir: null, kb: testKb() }, INVENTORY);
  const f = report.findings.filter((x) => x.rule === 'remote-access');
  assert.deepEqual(f.map((x) => x.title).sort(), ['VPN tunnel out of the site: OpenVPN', 'VPN tunnel out of the site: WireGuard']);
  const ovpn = f.find((x) => x.title.endsWith('OpenVPN'))!;
  assert.match(ovpn.detail, /opened an OpenVPN tunnel \(tls-auth SHA256\) to port 443/);
  assert.match(ovpn.detail, /opened an OpenVPN tunnel \(tls\) to port 1194/);
  assert.match(ovpn.remediation, /block it at the site's edge/);
  const dev = report.devices.find((d) => d.id === ovpn.device)!;
  assert.deepEqual(dev.ips.filter((ip) => !ip.includes(':')), ['10.97.0.20']);
  assert.deepEqual(dev.software, ['OpenVPN', 'WireGuard']);
});

test('probe(): a client reset in TLS mode or with tls-auth is a yes, a server reset a maybe, on UDP and TCP', async () => {
  const flows = await flowBytes(GEN);
  const udp = flows.find((f) => f.proto === 17 && f.chunks.some((c) => c.bytes[0] === 0x38))!;
  const tcp = flows.find((f) => f.proto === 6)!;
  const cu = udp.chunks.find((c) => c.isOrig)!.bytes;
  const su = udp.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(cu, 0, cu.length, true, 17), PROBE_YES);
  assert.equal(probe(su, 0, su.length, false, 17), PROBE_MAYBE);
  assert.equal(probe(cu, 0, cu.length, false, 17), PROBE_NO);
  const ct = tcp.chunks.find((c) => c.isOrig)!.bytes;
  assert.equal(probe(ct, 0, ct.length, true, 6), PROBE_YES);
  assert.equal(probe(ct, 2, ct.length - 2, true, 17), PROBE_YES);
  assert.deepEqual(wrapOf(ct, 2, ct.length - 2), { mode: 'tls-auth', hmacLen: 32, hmac: 'SHA256' });
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true, 6), PROBE_NO);
  assert.equal(probe(http, 0, http.length, true, 17), PROBE_NO);
});

// Synthetic: the real TLS-mode reset re-wrapped with a tls-auth HMAC of each size (random
// bytes), packet id 1 and a time, as OpenVPN lays out tls-auth packets.
test('wrapOf() reads the HMAC size of tls-auth with MD5, SHA1, SHA256 and SHA512', async () => {
  const flows = await flowBytes(GEN);
  const reset = flows.find((f) => f.proto === 17 && f.chunks.some((c) => c.bytes[0] === 0x38))!.chunks[0].bytes;
  assert.deepEqual(wrapOf(reset, 0, reset.length), { mode: 'tls' });
  for (const [h, name] of [[16, 'MD5'], [20, 'SHA1'], [32, 'SHA256'], [64, 'SHA512']] as const) {
    const b = new Uint8Array(reset.length + h + 8);
    b.set(reset.subarray(0, 9), 0);
    for (let i = 0; i < h; i++) b[9 + i] = (i * 97 + 13) & 0xff;
    b.set([0, 0, 0, 1, 0x65, 0x43, 0x21, 0x00], 9 + h);
    b.set(reset.subarray(9), 9 + h + 8);
    assert.deepEqual(wrapOf(b, 0, b.length), { mode: 'tls-auth', hmacLen: h, hmac: name });
    const c = parseControl(b, 0, b.length, { mode: 'tls-auth', hmacLen: h, hmac: name });
    assert.ok(c !== 'bad' && c.msgId === 0);
  }
});

test('the parser and the analyzer survive truncation and mutation of real packets', async () => {
  const seeds: Uint8Array[] = [];
  const all = [...(await flowBytes(GEN)), ...(haveCorpus() ? await flowBytes(NDPI) : [])];
  for (const f of all) for (const c of f.chunks.slice(0, 8)) seeds.push(c.bytes.slice(0, 1500));
  fuzzParser(seeds, (b) => {
    const w = wrapOf(b, 0, b.length);
    if (w !== null) parseControl(b, 0, b.length, w);
    probe(b, 0, b.length, true, 17);
    probe(b, 0, b.length, true, 6);
    feedAnalyzer(new OpenvpnAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 17);
    feedAnalyzer(new OpenvpnAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 6);
  }, { mutations: 60 });
});
