// RDP-UDP (MS-RDPEUDP) on nDPI's rdp2.pcap, its one capture in the corpus. Expected values are
// tshark's decode of the SYN and SYN+ACK datagrams (flags, sequence numbers, MTUs, correlation
// id, uUdpVer), tshark's server name of the TLS ClientHello in the first transport, and nDPI's
// "PLAIN TEXT (drcsalgfc)" for the second, whose DTLS hello tshark does not dissect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FLAG_ACK, FLAG_CORRELATION_ID, FLAG_SYN, FLAG_SYNEX, findClientHello, parseSyn } from './parse.js';
import { probe } from './probe.js';
import { RdpeudpAnalyzer } from './analyzer.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PCAP = corpus('ndpi', 'pcap', 'rdp2.pcap');

test("parseSyn() reads tshark's fields of rdp2.pcap's first SYN and SYN+ACK", { skip }, async () => {
  const f = (await flowBytes(PCAP)).find((x) => x.oPort === 54759)!;
  const syn = parseSyn(f.chunks[0].bytes, 0, f.chunks[0].bytes.length)!;
  // tshark: snSourceAck 0xffffffff, Flags 0x1801 (Syn, Correlation id, SynEx), Initial
  // SequenceNumber 0xbbff5687, MTUs 1232/1232, Correlation Id a69040c1…, Version 0x0101.
  assert.equal(syn.sourceAck, 0xffffffff);
  assert.equal(syn.flags, FLAG_SYN | FLAG_CORRELATION_ID | FLAG_SYNEX);
  assert.equal(syn.initialSeq, 0xbbff5687);
  assert.deepEqual([syn.upMtu, syn.downMtu], [1232, 1232]);
  assert.equal(syn.correlationId, 'a69040c1df7948b78fa08c4d63630000');
  assert.equal(syn.version, 3);
  const ack = parseSyn(f.chunks[1].bytes, 0, f.chunks[1].bytes.length)!;
  assert.equal(f.chunks[1].isOrig, false);
  // tshark: snSourceAck 0xbbff5687 (the client's sequence number), Flags 0x1005 (Syn, Ack, SynEx).
  assert.equal(ack.sourceAck, 0xbbff5687);
  assert.equal(ack.flags, FLAG_SYN | FLAG_ACK | FLAG_SYNEX);
  assert.equal(ack.initialSeq, 0x4d677966);
  assert.equal(ack.version, 3);
});

test('rdpeudp.log and conn.log on rdp2.pcap: two transports opened, one joined mid-session', { skip }, async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('rdpeudp');
    assert.deepEqual(
      log.map((l) => [l['id.orig_p'], l.version, l.client_version, l.established, l.midstream, l.lossy, l.security, l.server_name]),
      [
        // tshark: "TLSv1.1 Client Hello", server name WIN-8QSO0D3OKBI.HARDENING.COM.
        [54759, 3, 3, true, undefined, false, 'tls', 'WIN-8QSO0D3OKBI.HARDENING.COM'],
        // Joined after its SYN: tshark's RDPUDP datagrams both ways, flags 0x000c (Ack, Data) and
        // 0x0004/0x0404; nDPI labels it RDP from its datagrams. What the SYN said is unknown.
        [51652, undefined, undefined, true, true, undefined, undefined, undefined],
        // tshark: SYN+ACK version 0x0002; the hello is DTLS (lossy), nDPI's PLAIN TEXT drcsalgfc….
        [60355, 2, 2, true, undefined, true, 'dtls', 'drcsalgfc043'],
      ],
    );
    assert.equal(log[2].correlation_id, '72b53b847b4a475db6ab6b2304020000');
    const svc = new Map(run.conns.map((c) => [c.oPort, c.service]));
    assert.deepEqual([svc.get(54759), svc.get(60355), svc.get(51652)], ['rdpeudp', 'rdpeudp', 'rdpeudp']);
    assert.equal(run.log('weird').filter((w) => String(w.name).startsWith('rdpeudp')).length, 0);
  } finally {
    run.cleanup();
  }
});

test('probe() takes a client SYN on any port, and is a maybe for an established transport\'s datagram', { skip }, async () => {
  const flows = await flowBytes(PCAP);
  const syn = flows.find((x) => x.oPort === 54759)!.chunks[0].bytes;
  assert.equal(probe(syn, 0, syn.length, true, 17), PROBE_YES);
  assert.equal(probe(syn, 0, syn.length, false, 17), PROBE_NO);
  assert.equal(probe(syn, 0, syn.length, true, 6), PROBE_NO);
  // Shorter than the smallest MTU: not a SYN datagram (they are padded).
  assert.equal(probe(syn, 0, 1000, true, 17), PROBE_NO);
  // A mid-session data datagram of the third flow: a maybe (enough on UDP 3389 only).
  const mid = flows.find((x) => x.oPort === 51652)!.chunks[0].bytes;
  assert.equal(probe(mid, 0, mid.length, true, 17, 3389), PROBE_MAYBE);
  assert.equal(probe(mid, 0, mid.length, true, 17, 4000), PROBE_NO, 'only to a flow on 3389');
  const undefinedFlag = mid.slice();
  undefinedFlag[6] |= 0x80;
  assert.equal(probe(undefinedFlag, 0, undefinedFlag.length, true, 17, 3389), PROBE_NO);
  const noAck = mid.slice();
  noAck[7] &= ~0x04;
  assert.equal(probe(noAck, 0, noAck.length, true, 17, 3389), PROBE_NO);
  // MTU out of range.
  const bad = syn.slice();
  bad[12] = 0x03;
  assert.equal(probe(bad, 0, bad.length, true, 17), PROBE_NO);
});

test('a SYN+ACK that does not acknowledge the client does not establish the transport', { skip }, async () => {
  const f = (await flowBytes(PCAP)).find((x) => x.oPort === 54759)!;
  const chunks = f.chunks.map((c) => ({ isOrig: c.isOrig, bytes: c.bytes.slice() }));
  chunks[1].bytes[3] ^= 0xff;
  const out = feedAnalyzer(new RdpeudpAnalyzer(), chunks, 17);
  assert.deepEqual(out.services, []);
  assert.equal(out.events[0].established, false);
  assert.equal(out.events[0].server_name, undefined);
});

test('parsers and the analyzer survive truncation and mutation of real datagrams', { skip }, async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.slice(0, 6).map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    parseSyn(b, 0, b.length);
    findClientHello(b, 0, b.length);
    probe(b, 0, b.length, true, 17);
  });
  for (const f of flows) {
    fuzzParser([f.chunks[0].bytes], (b) => {
      feedAnalyzer(new RdpeudpAnalyzer(), [{ isOrig: true, bytes: b }, ...f.chunks.slice(1, 6)], 17);
    }, { mutations: 200 });
  }
});
