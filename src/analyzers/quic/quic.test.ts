// QUIC on real captures: 25 connections from nDPI's test captures (test/fixtures/ndpi/ndpi-quic.pcap,
// the first 8 packets of each; IETF QUIC v1, drafts 23–34, Facebook's mvfst, Google's Q024–Q050
// and T050/T051, a greased version). Expected values are ndpiReader 4.2's for the same file
// (ndpi-quic.pcap.out beside it: protocol, Hostname/SNI, ALPN, JA3C, User-Agent) and tshark 4.0's
// decryption of the ClientHellos (ndpi-quic.tshark.tsv: server name, ALPN); Initial key
// derivation is checked against the test vectors of RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { PROBE_CERTAIN, PROBE_NO, PROBE_YES } from '../types.js';
import { QuicAnalyzer } from './analyzer.js';
import { decryptPacket, findChlo, initialKeys, parseInitialFrames, parseLongHeader, versionInfo } from './parse.js';
import { readVarint } from './varint.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-quic.pcap');
const NDPI = ndpiFlows(join(DIR, 'ndpi-quic.pcap.out'));
/** tshark 4.0's ClientHello of each TLS-carrying flow: client port → [server name, ALPN list]. */
const TSHARK = new Map(
  readFileSync(join(DIR, 'ndpi-quic.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [port, sni, alpn] = l.split('\t');
      return [Number(port), [sni ?? '', alpn ?? '']] as const;
    }),
);

const hex = (s: string) => Buffer.from(s, 'hex');

test('Initial keys are the test vectors of RFC 9001 A.1 (QUIC v1) and RFC 9369 A.1 (QUIC v2)', () => {
  const dcid = hex('8394c8f03e515708');
  const v1 = initialKeys(hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), dcid, false);
  assert.deepEqual([v1.client.key, v1.client.iv, v1.client.hp].map((b) => b.toString('hex')), ['1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2']);
  assert.deepEqual([v1.server.key, v1.server.iv, v1.server.hp].map((b) => b.toString('hex')), ['cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314']);
  const v2 = initialKeys(hex('0dede3def700a6db819381be6e269dcbf9bd2ed9'), dcid, true);
  assert.deepEqual([v2.client.key, v2.client.iv, v2.client.hp].map((b) => b.toString('hex')), ['8b1a0bc121284290a29e0971b5cd045d', '91f73e2351d8fa91660e909f', '45b95e15235d6f45a6b19cbcb0294ba9']);
});

test('readVarint() decodes the examples of RFC 9000 §A.1', () => {
  const cases: [string, number][] = [['c2197c5eff14e88c', 151288809941952652], ['9d7f3e7d', 494878333], ['7bbd', 15293], ['25', 37], ['4025', 37]];
  for (const [h, v] of cases) {
    const b = hex(h);
    const r = readVarint(b, 0, b.length)!;
    assert.equal(r.value, v, h);
    assert.equal(r.next, b.length);
  }
  assert.equal(readVarint(hex('c2197c'), 0, 3), null);
});

test('versionInfo() names versions as Zeek and Wireshark do', () => {
  assert.equal(versionInfo(0x00000001)?.name, '1');
  assert.equal(versionInfo(0x6b3343cf)?.name, 'quicv2');
  assert.equal(versionInfo(0xff00001d)?.name, 'draft-29');
  assert.equal(versionInfo(0xfaceb002)?.name, 'mvfst (faceb002)');
  assert.equal(versionInfo(0x51303436)?.name, 'Q046');
  assert.equal(versionInfo(0x51303436)?.gquic, true);
  assert.equal(versionInfo(0x54303531)?.gquic, false);
  assert.equal(versionInfo(0x0a0a0a0a), null);
  assert.equal(versionInfo(0x12345678), null);
});

test("conn.log names every connection nDPI labels QUIC; quic.log has nDPI's server name, first ALPN and user agent", async () => {
  const run = await runCaptures([PCAP]);
  try {
    assert.equal(NDPI.length, 25);
    const quic = run.log('quic');
    const ssl = run.log('ssl');
    for (const f of NDPI) {
      assert.match(f.app, /^QUIC/);
      // Every flow of the file has its own client port.
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort);
      assert.ok(c !== undefined, f.line);
      assert.match(c.service, /^quic(,ssl)?$/, f.line);
      const q = quic.find((l) => l['id.orig_p'] === f.aPort && l['id.resp_p'] === f.bPort);
      assert.ok(q !== undefined, `quic.log for ${f.a}:${f.aPort}`);
      // The server name and first ALPN of the ClientHello: tshark's (it joins CRYPTO frames across
      // Initial packets), and nDPI's where nDPI read them. nDPI 4.2 reads one Initial only: Chrome's
      // ClientHello to meet.google.com spans two, and nDPI names neither its server nor its ALPN.
      const t = TSHARK.get(f.aPort);
      assert.equal(q.server_name, t !== undefined ? t[0] || undefined : f.hostname, f.line);
      if (f.hostname !== undefined) assert.equal(q.server_name, f.hostname, f.line);
      const alpn = /\[ALPN: ([^\];]+)/.exec(f.line)?.[1];
      assert.equal(q.client_protocol, t !== undefined ? t[1].split(',')[0] || undefined : alpn, f.line);
      if (alpn !== undefined) assert.equal(q.client_protocol, alpn, f.line);
      // The browser's user agent: gQUIC's CHLO (Q024–Q050), or Chrome's google_user_agent
      // transport parameter in the TLS ClientHello (T050/T051, draft-27).
      const ua = /\[User-Agent: ([^\]]+)\]/.exec(f.line)?.[1];
      assert.equal(q.user_agent, ua, f.line);
      const ja3 = /\[JA3C: ([0-9a-f]{32})\]/.exec(f.line)?.[1];
      if (ja3 !== undefined) {
        const s = ssl.find((l) => l['id.orig_p'] === f.aPort);
        assert.equal(s?.ja3, ja3, f.line);
        // JA4's transport letter for QUIC is 'q'.
        assert.match(String(s?.ja4), /^q/);
      }
    }
    // The TLS inside: ssl.log has TLS 1.3 and the server's cipher where its Initial was seen.
    const plus = ssl.find((l) => l.server_name === 'plus.google.com')!;
    assert.equal(plus.version, 'TLSv13');
    assert.equal(plus.cipher, 'TLS_AES_128_GCM_SHA256');
    // Versions as the headers state them (tshark's quic.version of each first packet).
    const versions = new Map(quic.map((l) => [l.server_name ?? l['id.orig_p'], l.version]));
    assert.equal(versions.get('graph.facebook.com'), 'mvfst (faceb002)');
    assert.equal(versions.get('localhost'), 'draft-29');
    assert.equal(versions.get('www.wireshark.org'), 'draft-27');
    assert.equal(versions.get('www.google.com'), 'T051');
    assert.equal(versions.get('fonts.googleapis.com'), 'T050');
    assert.equal(versions.get('www.gstatic.com'), 'Q050');
    assert.equal(versions.get('mail.google.com'), 'Q024');
    assert.equal(versions.get('plus.google.com'), '1');
    assert.equal(versions.get('71.202.41.169'), '0a0a0a0a');
    // gQUIC's user agent is software of the client, as an HTTP User-Agent is.
    const sw = run.log('software').find((l) => l.host === '192.168.2.27')!;
    assert.equal(sw.software_type, 'QUIC::BROWSER');
    assert.equal(sw.unparsed_version, 'Chrome/62.0.3202.94 Windows NT 10.0; Win64; x64');
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('probe() takes a client Initial of a known version, a gQUIC header, and a server long header; nothing else', async () => {
  const flows = await flowBytes(PCAP);
  const first = (port: number) => flows.find((f) => f.oPort === port)!.chunks[0].bytes;
  const v1 = first(36832);
  assert.equal(probe(v1, 0, v1.length, true, 17), PROBE_CERTAIN);
  assert.equal(probe(v1, 0, v1.length, true, 6), PROBE_NO);
  // A client Initial must fill 1200 bytes (RFC 9000 §14.1).
  assert.equal(probe(v1, 0, 1100, true, 17), PROBE_NO);
  // A greased version (0x0a0a0a0a) is QUIC's shape but no version: only a YES, the analyzer's
  // decryption decides.
  const grease = first(37643);
  assert.equal(probe(grease, 0, grease.length, true, 17), PROBE_YES);
  const gq = first(51925);
  assert.equal(probe(gq, 0, gq.length, true, 17), PROBE_YES);
  const server = flows.find((f) => f.oPort === 36832)!.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(server, 0, server.length, false, 17), PROBE_YES);
  // Random bytes after a long-header first byte, an unknown version.
  const junk = Uint8Array.from({ length: 1250 }, (_, i) => (i * 37 + 11) & 0xff);
  junk[0] = 0xc0;
  assert.equal(probe(junk, 0, junk.length, true, 17), PROBE_NO);
});

test('the Initial frames of a real v1 ClientHello: CRYPTO at offset 0 holding a whole ClientHello, then padding', async () => {
  const flows = await flowBytes(PCAP);
  const b = flows.find((f) => f.oPort === 36832)!.chunks[0].bytes;
  const h = parseLongHeader(b, 0, b.length)!;
  const d = decryptPacket(b, 0, h, initialKeys(versionInfo(1)!.salts[0], h.dcid, false).client)!;
  assert.ok(d !== null);
  const f = parseInitialFrames(d.payload);
  assert.equal(f.malformed, false);
  assert.equal(f.crypto[0].offset, 0);
  // TLS handshake type 1 (ClientHello), 24-bit length covering the rest of the chunk.
  const c = f.crypto[0].data;
  assert.equal(c[0], 1);
  assert.equal((c[1] << 16) | (c[2] << 8) | c[3], c.length - 4);
});

test("findChlo() reads gQUIC's SNI and UAID tags (nDPI's values for Q039)", async () => {
  const flows = await flowBytes(PCAP);
  const b = flows.find((f) => f.oPort === 51925)!.chunks[0].bytes;
  const chlo = findChlo(b, 0, b.length)!;
  assert.equal(chlo.sni, 'upload.youtube.com');
  assert.equal(chlo.uaid, 'Chrome/62.0.3202.94 Windows NT 10.0; Win64; x64');
});

test('parsers and the analyzer survive truncation and mutation of real datagrams and decrypted payloads', async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.slice(0, 3).map((c) => c.bytes));
  const payloads: Uint8Array[] = [];
  for (const f of flows) {
    const b = f.chunks[0].bytes;
    const h = parseLongHeader(b, 0, b.length);
    const info = h === null ? null : versionInfo(h.version);
    if (h === null || info === null) continue;
    for (const salt of info.salts) {
      const d = decryptPacket(b, 0, h, initialKeys(salt, h.dcid, info.v2).client);
      if (d !== null) payloads.push(d.payload);
    }
  }
  assert.ok(payloads.length >= 15);
  fuzzParser(seeds, (b) => {
    parseLongHeader(b, 0, b.length);
    findChlo(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
    probe(b, 0, b.length, false, 17);
  }, { mutations: 100 });
  fuzzParser(payloads.slice(0, 6), (b) => {
    parseInitialFrames(b);
    parseInitialFrames(b, 0x08);
  }, { mutations: 200 });
  for (const f of flows.slice(0, 8)) {
    fuzzParser([f.chunks[0].bytes], (b) => {
      feedAnalyzer(new QuicAnalyzer(), [{ isOrig: true, bytes: b }, ...f.chunks.slice(1, 6)], 17);
    }, { mutations: 30 });
  }
});

test("nDPI's http_ipv6.pcap: the Google QUIC Q025 flow nDPI names (QUIC ver Q025, www.google.it) is in quic.log", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  // The file's second QUIC flow nDPI names by its port alone ("Confidence: Match by port"): its
  // packets carry no long header or CHLO (tshark decodes none of them as QUIC), and wardline
  // leaves it unnamed.
  const flows = ndpiFlows(corpus('ndpi', 'result', 'http_ipv6.pcap.out')).filter((f) => f.app.startsWith('QUIC') && f.line.includes('[Confidence: DPI]'));
  assert.equal(flows.length, 1);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'http_ipv6.pcap')]);
  try {
    const [q] = run.log('quic');
    assert.deepEqual([q['id.orig_p'], q.version, q.server_name], [flows[0].aPort, 'Q025', flows[0].hostname]);
    assert.equal(run.conns.find((c) => c.oPort === flows[0].aPort)!.service, 'quic');
  } finally {
    run.cleanup();
  }
});
