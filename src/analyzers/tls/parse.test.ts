// TLS/DTLS parsers and the probe on bytes cut from real captures, with expectations from the
// peers' outputs next to them (Arkime .test JSON, suricata-verify test.yaml), plus truncation and
// mutation fuzzing of every parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import {
  HS_CLIENT_HELLO,
  HS_SERVER_HELLO,
  HS_SERVER_KEY_EXCHANGE,
  countTilingRecords,
  parseAlerts,
  parseCertificateList,
  parseClientHello,
  parseDtlsHandshakeHeader,
  parseDtlsRecordHeader,
  parseEcdhServerParams,
  parseHeartbeat,
  parseRecordHeader,
  parseServerHello,
  parseSslv2ClientHello,
  parseSslv2ServerHello,
} from './parse.js';
import { probe } from './probe.js';
import { ja3String, ja3sString, ja4 } from './fingerprint.js';
import { cipherName, cipherTraits, isGrease, versionName } from './names.js';
import { flowsOf, handshakes, records } from './testkit.js';

const skip = !haveCorpus() && 'shared corpus not present';

function arkime(name: string): Record<string, string[]> {
  const d = JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', `${name}.test`), 'utf8')) as { sessions3: { body: { tls: Record<string, string[]> } }[] };
  return d.sessions3[0].body.tls;
}

async function hello(path: string[], type: number, server = false): Promise<Uint8Array> {
  const f = (await flowsOf(...path)).find((x) => x.proto === 6)!;
  const m = handshakes(server ? f.resp : f.orig).find((x) => x.type === type);
  assert.ok(m, `no handshake type ${type} in ${path.join('/')}`);
  return m.body;
}

const facts = (h: Exclude<ReturnType<typeof parseClientHello>, 'bad'>) => ({
  version: h.version,
  ciphers: h.ciphers,
  extensions: h.extensions,
  groups: h.groups,
  pointFormats: h.pointFormats,
  supportedVersions: h.supportedVersions,
  sigAlgs: h.sigAlgs,
  alpn: h.alpn,
  hasSni: h.extensions.includes(0),
});

for (const name of ['openssl-ssl3', 'openssl-tls1', 'openssl-tls1_1', 'openssl-tls1_2', 'ssl-selfsign', 'tls13']) {
  test(`parseClientHello() gives Arkime's JA3 string and JA4 for ${name}`, { skip }, async () => {
    const want = arkime(name);
    const body = await hello(['arkime', 'tests', 'pcap', `${name}.pcap`], HS_CLIENT_HELLO);
    const ch = parseClientHello(body, 0, body.length);
    assert.notEqual(ch, 'bad');
    if (ch === 'bad') return;
    assert.equal(ja3String(facts(ch)), want.ja3string[0]);
    const j = ja4(facts(ch), 't');
    assert.equal(j.ja4, want.ja4[0]);
    assert.equal(j.ja4_r, want.ja4_r[0]);
  });

  test(`parseServerHello() gives Arkime's JA3S string for ${name}`, { skip }, async () => {
    const want = arkime(name);
    const body = await hello(['arkime', 'tests', 'pcap', `${name}.pcap`], HS_SERVER_HELLO, true);
    const sh = parseServerHello(body, 0, body.length);
    assert.notEqual(sh, 'bad');
    if (sh === 'bad') return;
    assert.equal(ja3sString(sh.version, sh.cipher, sh.extensions), want.ja3sstring[0]);
    assert.equal(cipherName(sh.cipher), want.cipher[0]);
  });
}

test("parseClientHello() lists ciphers, extensions and signature algorithms as suricata-verify's ja4-cl-handshake expects", { skip }, async () => {
  // test.yaml: tls.client_handshake.{version, ciphers, exts, sig_algs}.
  const body = await hello(['suricata-verify', 'tests', 'ja4-cl-handshake', 'input.pcap'], HS_CLIENT_HELLO);
  const ch = parseClientHello(body, 0, body.length);
  assert.notEqual(ch, 'bad');
  if (ch === 'bad') return;
  assert.equal(versionName(ch.version), 'TLSv12');
  assert.deepEqual(ch.ciphers, [49196, 49200, 159, 52393, 52392, 52394, 49195, 49199, 158, 49188, 49192, 107, 49187, 49191, 103, 49162, 49172, 57, 49161, 49171, 51, 157, 156, 61, 60, 53, 47, 255]);
  assert.deepEqual(ch.extensions, [0, 11, 10, 35, 22, 23, 13]);
  assert.deepEqual(ch.sigAlgs, [1027, 1283, 1539, 2055, 2056, 2057, 2058, 2059, 2052, 2053, 2054, 1025, 1281, 1537, 771, 515, 769, 513, 770, 514, 1026, 1282, 1538]);
});

test("parseServerHello() reads version, cipher and extensions as suricata-verify's ja4-sv-handshake expects", { skip }, async () => {
  const body = await hello(['suricata-verify', 'tests', 'ja4-sv-handshake', 'input.pcap'], HS_SERVER_HELLO, true);
  const sh = parseServerHello(body, 0, body.length);
  assert.notEqual(sh, 'bad');
  if (sh === 'bad') return;
  assert.equal(versionName(sh.version), 'TLSv12');
  assert.equal(sh.cipher, 49200);
  assert.deepEqual(sh.extensions, [65281, 11, 35, 23]);
});

test("ja4() gives suricata-verify's ja4-tls fingerprint (ALPN spdy/3.1, no SNI)", { skip }, async () => {
  const body = await hello(['suricata-verify', 'tests', 'ja4-tls', 'input.pcap'], HS_CLIENT_HELLO);
  const ch = parseClientHello(body, 0, body.length);
  assert.notEqual(ch, 'bad');
  if (ch !== 'bad') assert.equal(ja4(facts(ch), 't').ja4, 't12i1810s1_27d4652c4487_06a4338d0495');
});

test('parseSslv2ClientHello() reads the SSLv2-compatible hello of suricata-verify sslv2-tls-upgrade-01', { skip }, async () => {
  const f = (await flowsOf('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap')).find((x) => x.proto === 6)!;
  const h = parseRecordHeader(f.orig, 0, f.orig.length, true);
  assert.ok(typeof h !== 'string' && h.v2);
  if (typeof h === 'string') return;
  const ch = parseSslv2ClientHello(f.orig, h.headerLen, h.length);
  assert.notEqual(ch, 'bad');
  if (ch === 'bad') return;
  // The client offers TLS 1.0 inside an SSLv2 record, with 24-bit SSLv2 cipher kinds.
  assert.equal(ch.version, 0x0301);
  assert.ok(ch.ciphers.includes(0x010080));
  assert.equal(cipherName(0x010080), 'SSLv20_CK_RC4_128_WITH_MD5');
});

test('parseServerHello() reads a TLS 1.3 draft-18 ServerHello (no session id) from Arkime tls13.pcap', { skip }, async () => {
  const body = await hello(['arkime', 'tests', 'pcap', 'tls13.pcap'], HS_SERVER_HELLO, true);
  const sh = parseServerHello(body, 0, body.length);
  assert.notEqual(sh, 'bad');
  if (sh === 'bad') return;
  assert.equal(versionName(sh.version), 'TLSv13-draft18');
  assert.equal(cipherName(sh.cipher), 'TLS_AES_128_GCM_SHA256');
  assert.equal(sh.keyShareGroup, 29);
});

test('parseEcdhServerParams() finds the named curve of a real ECDHE ServerKeyExchange (secp256r1 in Zeek ecdhe.log)', { skip }, async () => {
  const body = await hello(['zeek', 'traces', 'tls', 'ecdhe.pcap'], HS_SERVER_KEY_EXCHANGE, true);
  assert.equal(parseEcdhServerParams(body, 0, body.length), 23);
});

test('DTLS record and fragmented handshake headers parse from nDPI dtls_certificate_fragments.pcap', { skip }, async () => {
  const f = (await flowsOf('ndpi', 'pcap', 'dtls_certificate_fragments.pcap')).find((x) => x.proto === 17)!;
  let fragments = 0;
  for (const d of f.datagrams) {
    assert.ok(countTilingRecords(d.bytes, 0, d.bytes.length, true) > 0, 'datagrams hold whole DTLS records');
    const h = parseDtlsRecordHeader(d.bytes, 0, d.bytes.length);
    assert.ok(typeof h !== 'string');
    if (typeof h === 'string' || h.type !== 22 || h.epoch !== 0) continue;
    const hh = parseDtlsHandshakeHeader(d.bytes, 13, h.length);
    assert.ok(typeof hh !== 'string');
    if (typeof hh !== 'string' && hh.fragmentLength < hh.length) fragments++;
  }
  assert.ok(fragments > 0, 'the capture fragments its certificate');
});

test('parseAlerts() rejects an encrypted alert record and accepts a plaintext one', () => {
  // Synthetic: two-byte alert bodies (fatal handshake_failure) and a 26-byte opaque one.
  assert.deepEqual(parseAlerts(Uint8Array.of(2, 40), 0, 2), [[2, 40]]);
  assert.equal(parseAlerts(new Uint8Array(26).fill(0x9c), 0, 26), null);
});

test('parseHeartbeat() reads the claimed payload length of a heartbeat request', () => {
  // Synthetic (no corpus capture carries a heartbeat): type 1, payload_length 0x4000, no payload.
  assert.deepEqual(parseHeartbeat(Uint8Array.of(1, 0x40, 0), 0, 3), { type: 1, payloadLength: 16384 });
  assert.equal(parseHeartbeat(Uint8Array.of(1), 0, 1), 'bad');
});

test('names follow Zeek: versions, unknown ciphers, GREASE, cipher traits', () => {
  assert.equal(versionName(0x0300), 'SSLv3');
  assert.equal(versionName(0x0301), 'TLSv10');
  assert.equal(versionName(0x7f17), 'TLSv13-draft23');
  assert.equal(versionName(0xfeff), 'DTLSv10');
  assert.equal(versionName(0x1234), 'unknown-4660');
  assert.equal(cipherName(0xc011), 'TLS_ECDHE_RSA_WITH_RC4_128_SHA');
  assert.equal(cipherName(0xbeef), 'unknown-48879');
  assert.ok(isGrease(0x0a0a) && isGrease(0xfafa) && !isGrease(0x0a1a));
  assert.ok(cipherTraits('TLS_ECDHE_RSA_WITH_RC4_128_SHA').rc4);
  assert.ok(cipherTraits('TLS_RSA_EXPORT_WITH_DES40_CBC_SHA').export);
  assert.ok(cipherTraits('TLS_RSA_WITH_3DES_EDE_CBC_SHA').des3);
  assert.ok(cipherTraits('TLS_RSA_WITH_NULL_SHA').null);
  assert.ok(!Object.values(cipherTraits('TLS_AES_128_GCM_SHA256')).some(Boolean));
});

test('probe() recognises real TLS, SSLv2 and DTLS first payloads and rejects other protocols', { skip }, async () => {
  const tls = (await flowsOf('arkime', 'tests', 'pcap', 'openssl-tls1_2.pcap')).find((x) => x.proto === 6)!;
  assert.equal(probe(tls.orig, 0, tls.orig.length, true, 6), PROBE_YES);
  assert.equal(probe(tls.resp, 0, tls.resp.length, false, 6), PROBE_YES);
  const v2 = (await flowsOf('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap')).find((x) => x.proto === 6)!;
  assert.equal(probe(v2.orig, 0, v2.orig.length, true, 6), PROBE_YES);
  const dtls = (await flowsOf('ndpi', 'pcap', 'dtls_certificate_fragments.pcap')).find((x) => x.proto === 17)!;
  assert.equal(probe(dtls.datagrams[0].bytes, 0, dtls.datagrams[0].bytes.length, true, 17), PROBE_YES);
  const ssh = (await flowsOf('arkime', 'tests', 'pcap', 'ssh2.pcap')).find((x) => x.proto === 6)!;
  assert.equal(probe(ssh.orig, 0, ssh.orig.length, true, 6), PROBE_NO);
  const http = (await flowsOf('arkime', 'tests', 'pcap', 'http-simple-get.pcap')).find((x) => x.proto === 6)!;
  assert.equal(probe(http.orig, 0, http.orig.length, true, 6), PROBE_NO);
  const dns = (await flowsOf('zeek', 'traces', 'wikipedia.pcap')).find((x) => x.proto === 17 && x.rPort === 53)!;
  assert.equal(probe(dns.datagrams[0].bytes, 0, dns.datagrams[0].bytes.length, true, 17), PROBE_NO);
});

test('every TLS parser survives truncation and mutation of real records', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [
    ['arkime', 'tests', 'pcap', 'openssl-tls1_2.pcap'],
    ['arkime', 'tests', 'pcap', 'tls13.pcap'],
    ['zeek', 'traces', 'tls', 'ecdhe.pcap'],
  ]) {
    const f = (await flowsOf(...p)).find((x) => x.proto === 6)!;
    for (const r of [...records(f.orig).slice(0, 3), ...records(f.resp).slice(0, 3)]) seeds.push(r.raw.slice(0, 2048));
  }
  const v2 = (await flowsOf('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap')).find((x) => x.proto === 6)!;
  seeds.push(v2.orig.slice(0, 200));
  fuzzParser(seeds, (b) => {
    const h = parseRecordHeader(b, 0, b.length, true);
    probe(b, 0, b.length, true, 6);
    countTilingRecords(b, 0, b.length, false);
    if (typeof h === 'string') return;
    const o = h.headerLen;
    const n = b.length - o;
    if (h.v2) {
      parseSslv2ClientHello(b, o, n);
      parseSslv2ServerHello(b, o, n);
      return;
    }
    // Every handshake parser on every body, so each sees all shapes of input.
    parseClientHello(b, o + 4, n - 4);
    parseClientHello(b, o + 4, n - 4, true);
    parseServerHello(b, o + 4, n - 4);
    parseCertificateList(b, o + 4, n - 4, 16);
    parseEcdhServerParams(b, o + 4, n - 4);
    parseAlerts(b, o, n);
    parseHeartbeat(b, o, n);
  });
});

test('DTLS parsers survive truncation and mutation of real datagrams', { skip }, async () => {
  const f = (await flowsOf('ndpi', 'pcap', 'dtls_certificate_fragments.pcap')).find((x) => x.proto === 17)!;
  fuzzParser(
    f.datagrams.slice(0, 4).map((d) => d.bytes.slice(0, 1500)),
    (b) => {
      probe(b, 0, b.length, true, 17);
      const h = parseDtlsRecordHeader(b, 0, b.length);
      if (typeof h === 'string') return;
      parseDtlsHandshakeHeader(b, 13, b.length - 13);
      parseClientHello(b, 25, b.length - 25, true);
    },
    { mutations: 200 },
  );
});
