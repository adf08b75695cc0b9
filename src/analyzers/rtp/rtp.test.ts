// RTP/RTCP on real captures. Announced media: nDPI's sip.pcap (a SIPPS softphone's call, its SDP
// naming 192.168.1.2:30000) and FAX-Call-t38-CA-TDM-SIP-FB-1.pcap (a G.711 fax call through a
// gateway), from the corpus with nDPI's results. Media found by its packets alone: ten flows from
// nDPI's test captures in test/fixtures/ndpi/ndpi-rtp.pcap (the first 16 packets of each; the
// README there has the commands): six that ndpiReader 4.2 labels RTP or leaves unknown while
// tshark decodes RTP, and four of other protocols (IAX2, AFS RX, Genshin Impact, tinc) that an
// RTP-looking first byte must not turn into RTP. Expected streams are tshark 4.0's
// `-z rtp,streams` of the same packets (ndpi-rtp.tshark.txt). Synthetic packets only for what
// no capture holds (SRTP, rtcp-mux, RTSP's UDP media), said at each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { tcpConversationFrames, writePcap, writeUdpPcap, type UdpPacket } from '../../testutil/pcapwriter.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseRtcp, readRtp, type RtpHeader } from './parse.js';
import { probe } from './probe.js';
import { mediaSummary, parseSdp, sdpSession } from './sdp.js';
import { parseTransport } from '../rtsp/parse.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-rtp.pcap');
const enc = new TextEncoder();

interface TsharkStream {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  ssrc: string;
  payload: string;
  packets: number;
  lost: number;
}

/** The stream lines of tshark's `-z rtp,streams`. */
function tsharkStreams(path: string): TsharkStream[] {
  const out: TsharkStream[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-F]{8})\s+(.+?)\s+(\d+)\s+(-?\d+) \(/.exec(line);
    if (m !== null) out.push({ src: m[1], sport: Number(m[2]), dst: m[3], dport: Number(m[4]), ssrc: m[5].toLowerCase(), payload: m[6], packets: Number(m[7]), lost: Number(m[8]) });
  }
  return out;
}

/** tshark's payload names → RFC 3551's encoding names as rtp.log writes them. */
const TSHARK_CODEC: Record<string, string | undefined> = { g711A: 'PCMA', g711U: 'PCMU', h263: 'H263', 'RTPType-120': undefined };

test('conn.log names RTP where nDPI or tshark finds it, and only there; rtp.log has tshark\'s streams', async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-rtp.pcap.out'));
  assert.equal(ndpi.length, 12);
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      const c = run.conns.find((x) => (x.oPort === f.aPort && x.rPort === f.bPort) || (x.oPort === f.bPort && x.rPort === f.aPort));
      assert.ok(c !== undefined, f.line);
      if (f.app === 'RTP') assert.equal(c.service, 'rtp', f.line);
      else if (f.aPort === 59891) {
        // nDPI 4.2 leaves this Discord voice flow unknown; tshark decodes its datagrams as RTP
        // (SSRC 0xA139, payload type 120, sequence 15252 on) and RTCP (a sender report): Discord
        // encrypts the payload, not the RTP header.
        assert.equal(f.app, 'Unknown');
        assert.equal(c.service, 'rtp,rtcp', f.line);
      } else assert.ok(!/rtp|rtcp/.test(c.service), `${c.service}: ${f.line}`);
    }
    const want = tsharkStreams(join(DIR, 'ndpi-rtp.tshark.txt'));
    assert.equal(want.length, 10);
    const got = run.log('rtp').filter((l) => l.kind === 'rtp');
    assert.equal(got.length, want.length);
    for (const w of want) {
      const l = got.find((x) => x.ssrc === w.ssrc && (x.is_orig ? x['id.orig_p'] : x['id.resp_p']) === w.sport)!;
      assert.ok(l !== undefined, JSON.stringify(w));
      assert.equal(l.source, 'heuristic');
      assert.equal(l.packets, w.packets, w.ssrc);
      assert.equal(l.codec, TSHARK_CODEC[w.payload], w.ssrc);
      // tshark counts the SPAN port's duplicate of every packet of the 32144 call as a packet
      // received, so its expected-minus-received is -8; rtp.log counts losses, never negative.
      assert.equal(l.lost, Math.max(0, w.lost), w.ssrc);
      assert.equal(l.srtp, undefined, 'found by its packets: whether it is SRTP is not known');
    }
    const video = got.find((l) => l.ssrc === '00001646')!;
    assert.equal(video.media, 'video');
    assert.equal(video.payload_type, 34);
  } finally {
    run.cleanup();
  }
});

test('SIP\'s SDP announces the media: its RTP and RTCP flows are named from their first packet, with the codec and the RTCP SDES', { skip: !haveCorpus() }, async () => {
  const path = corpus('ndpi', 'pcap', 'sip.pcap');
  const ndpi = ndpiFlows(corpus('ndpi', 'result', 'sip.pcap.out'));
  const run = await runCaptures([path]);
  try {
    // nDPI: `UDP 192.168.1.2:30000 -> 212.242.33.36:40392 [proto: 87/RTP]`, 9 packets; tshark's
    // rtp,streams: SSRC 0x3796CB71, g711A, 9 packets, 0 lost.
    const f = ndpi.find((x) => x.app === 'RTP')!;
    const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
    assert.equal(c.service, 'rtp');
    const rtp = run.log('rtp');
    const s = rtp.find((l) => l.kind === 'rtp')!;
    assert.deepEqual(
      [s['id.orig_p'], s.ssrc, s.codec, s.media, s.packets, s.lost, s.source, s.srtp],
      [30000, '3796cb71', 'PCMA', 'audio', 9, 0, 'sip', false],
    );
    // 30001 -> 40393, the RTCP port next to the media (RFC 3550 §11): nDPI leaves it unknown;
    // tshark decodes SR, SDES, BYE with CNAME "11894297-4432a9f8@192.168.1.2", TOOL "SIPPS".
    const r = rtp.find((l) => l.kind === 'rtcp')!;
    assert.deepEqual([r['id.orig_p'], r['id.resp_p'], r.cname, r.tool, r.packets], [30001, 40393, '11894297-4432a9f8@192.168.1.2', 'SIPPS', 1]);
    assert.equal(run.conns.find((x) => x.oPort === 30001)!.service, 'rtcp');
    // TOOL names the sender's application: software.log, as the SIP User-Agent does.
    const sw = run.log('software').filter((l) => l.software_type === 'RTP::TOOL');
    assert.deepEqual(sw.map((l) => [l.host, l.unparsed_version]), [['192.168.1.2', 'SIPPS']]);
  } finally {
    run.cleanup();
  }
});

test('the fax gateway\'s G.711 call: both streams of the flow nDPI labels RTP, with tshark\'s losses', { skip: !haveCorpus() }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap')]);
  try {
    // nDPI: `UDP 10.35.60.100:15580 <-> 10.23.1.52:16756 [proto: 87/RTP]`, 159 <-> 1171 packets.
    const c = run.conns.find((x) => x.oPort === 15580 && x.rPort === 16756)!;
    assert.equal(c.service, 'rtp');
    const rtp = run.log('rtp');
    // tshark -d udp.port==15580,rtp -z rtp,streams: 0x17D90134 1171 packets, 0 lost; 0x0EAF0EAF
    // 132 packets, 1712 lost. tshark decodes the last 27 of 0x0EAF0EAF's packets as T.38 because
    // the re-INVITE's SDP offered T.38 on that port, but their bytes are RTP (version 2, payload
    // type 8, SSRC 0x0EAF0EAF, A-law silence): 132 + 27 = nDPI's 159.
    const back = rtp.find((l) => l.ssrc === '17d90134')!;
    assert.deepEqual([back.is_orig, back.packets, back.lost, back.codec, back.source], [false, 1171, 0, 'PCMA', 'sip']);
    const fwd = rtp.find((l) => l.ssrc === '0eaf0eaf')!;
    assert.deepEqual([fwd.is_orig, fwd.packets, fwd.lost], [true, 159, 1712]);
  } finally {
    run.cleanup();
  }
});

test('parseSdp() reads the real SIPPS offer and what no capture here holds: SRTP, rtcp-mux, a=rtcp, IPv6, refused streams', () => {
  // The body of sip.pcap's INVITE (frame 22), as tshark shows it.
  const real = ['v=0', 'o=- 0 0 IN IP4 192.168.1.2', 's=SIPPS call', 'c=IN IP4 192.168.1.2', 't=0 0', 'm=audio 30000 RTP/AVP 0 8 97 2 3', 'a=rtpmap:0 pcmu/8000', 'a=rtpmap:8 pcma/8000', 'a=rtpmap:97 iLBC/8000', 'a=rtpmap:2 G726-32/8000', 'a=rtpmap:3 GSM/8000', 'a=fmtp:97 mode=20', 'a=sendrecv', ''].join('\r\n');
  const [m] = parseSdp(real);
  assert.deepEqual([m.media, m.addr, m.port, m.proto, m.rtcpPort, m.crypto], ['audio', '192.168.1.2', 30000, 'RTP/AVP', 30001, false]);
  assert.deepEqual(m.formats, ['0', '8', '97', '2', '3']);
  assert.equal(m.codecs[97], 'iLBC');
  // Synthetic (RFC 4568 §9.1's example shape, RFC 5761 rtcp-mux, RFC 3605 a=rtcp).
  const sdp = parseSdp(['v=0', 'c=IN IP6 2001:DB8:0:0::1', 'm=audio 49170 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32', 'a=rtcp-mux', 'm=video 51372 RTP/AVP 96', 'c=IN IP4 224.2.1.1/127', 'a=rtcp:53020', 'a=rtpmap:96 H264/90000', 'm=audio 0 RTP/AVP 0', 'm=image 5004 udptl t38'].join('\n'));
  assert.equal(sdp.length, 4);
  assert.deepEqual([sdp[0].addr, sdp[0].proto, sdp[0].crypto, sdp[0].rtcpPort], ['2001:db8::1', 'RTP/SAVP', true, 49170]);
  assert.deepEqual([sdp[1].addr, sdp[1].rtcpPort, sdp[1].codecs[96]], ['224.2.1.1', 53020, 'H264']);
  assert.equal(sdp[2].port, 0);
  assert.deepEqual([sdp[3].media, sdp[3].proto, sdp[3].addr], ['image', 'udptl', '2001:db8::1']);
  assert.deepEqual(parseSdp('not sdp'), []);
  // The FAX capture's anonymised addresses ("c=IN IP4 $") give no address.
  assert.equal(parseSdp('v=0\nc=IN IP4 $\nm=audio 16756 RTP/AVP 8\n')[0].addr, '');
  // The session's own fields and a media summary: rtpmap names first, else RFC 3551's static types.
  assert.deepEqual(sdpSession(real), { name: 'SIPPS call', tool: '' });
  assert.equal(mediaSummary(m), 'audio pcmu pcma iLBC G726-32 GSM');
  assert.equal(mediaSummary(parseSdp('v=0\nm=video 0 RTP/AVP 26 34\n')[0]), 'video JPEG H263');
  assert.deepEqual(sdpSession('v=0\ns=-\na=tool:x\nm=audio 0 RTP/AVP 0\na=tool:media-level\n'), { name: '', tool: 'x' });
});

test('parseTransport() reads the Transport headers of nDPI\'s rtsp.pcap', { skip: !haveCorpus() }, () => {
  // tshark -Y rtsp.transport on rtsp.pcap: the offer and the VLC server's answer.
  const offer = parseTransport('RTP/AVP;unicast;client_port=55664-55665');
  assert.deepEqual([offer[0].profile, offer[0].tcp, offer[0].clientPort, offer[0].clientRtcp, offer[0].serverPort], ['RTP/AVP', false, 55664, 55665, -1]);
  const answer = parseTransport('RTP/AVP/UDP;unicast;client_port=55664-55665;server_port=58547-58548;ssrc=B1964B48;mode=play');
  assert.deepEqual([answer[0].clientPort, answer[0].serverPort, answer[0].serverRtcp], [55664, 58547, 58548]);
  assert.equal(parseTransport('RTP/AVP/TCP;unicast;interleaved=0-1')[0].tcp, true);
  assert.deepEqual(parseTransport('x-real-rdt/udp;client_port=1, RTP/SAVP;multicast;destination=232.1.1.1;port=5000-5001').map((t) => [t.profile, t.destination, t.port]), [['RTP/SAVP', '232.1.1.1', 5000]]);
});

/** An RTP packet: version 2, payload type, sequence, timestamp, SSRC, then `n` payload bytes. */
function rtpPacket(pt: number, seq: number, ssrc: number, n = 160): Uint8Array {
  const b = new Uint8Array(12 + n).fill(0xd5);
  b[0] = 0x80;
  b[1] = pt;
  b[2] = seq >> 8;
  b[3] = seq & 255;
  b.set([0, 0, (seq * 160) >> 8, (seq * 160) & 255], 4);
  b.set([ssrc >>> 24, (ssrc >> 16) & 255, (ssrc >> 8) & 255, ssrc & 255], 8);
  return b;
}

test('an RTSP SETUP\'s answer announces the camera\'s UDP media (synthetic: the corpus\'s RTSP sessions stream over TCP or stop at SETUP)', async () => {
  const setup = 'SETUP rtsp://10.0.0.9/stream1/trackID=1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast;client_port=50220-50221\r\n\r\n';
  const ok = 'RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 1234\r\nTransport: RTP/AVP;unicast;client_port=50220-50221;server_port=6970-6971\r\n\r\n';
  const frames = tcpConversationFrames({ client: '10.0.0.5', server: '10.0.0.9', cport: 40000, sport: 554, t0: 1000, turns: [{ isOrig: true, bytes: enc.encode(setup) }, { isOrig: false, bytes: enc.encode(ok) }] });
  const media: UdpPacket[] = [0, 1].map((i) => ({ ts: 1001 + i * 0.04, src: '10.0.0.9', sport: 6970, dst: '10.0.0.5', dport: 50220, payload: rtpPacket(96, 7 + i, 0x1234) }));
  const udp = writeUdpPcap(media);
  const all = writePcap([...frames, ...readFrames(udp)]);
  const run = await runCaptures([all]);
  try {
    // Two packets: too few for the packets alone, enough for an announced flow.
    const c = run.conns.find((x) => x.oPort === 6970)!;
    assert.equal(c.service, 'rtp');
    const [s] = run.log('rtp');
    assert.deepEqual([s.source, s.packets, s.payload_type, s.srtp, s.is_orig], ['rtsp', 2, 96, false, true]);
  } finally {
    run.cleanup();
  }
});

/** The frames of a pcap written by writeUdpPcap (to merge them with TCP frames in one file). */
function readFrames(path: string): { ts: number; frame: Uint8Array }[] {
  const b = readFileSync(path);
  const out: { ts: number; frame: Uint8Array }[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const n = b.readUInt32LE(o + 8);
    out.push({ ts: b.readUInt32LE(o) + b.readUInt32LE(o + 4) / 1e6, frame: b.subarray(o + 16, o + 16 + n) });
    o += 16 + n;
  }
  return out;
}

test('SRTP announced by SDP is named srtp (encrypted in the traffic figures); SDES keys are noted, never kept (synthetic: no capture here has SRTP)', async () => {
  const invite = ['INVITE sip:b@10.0.0.2 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', 'From: <sip:a@10.0.0.1>;tag=1', 'To: <sip:b@10.0.0.2>', 'Call-ID: 1@10.0.0.1', 'CSeq: 1 INVITE', 'Content-Type: application/sdp', 'Content-Length: 150', '', ''].join('\r\n');
  const sdp = ['v=0', 'c=IN IP4 10.0.0.1', 'm=audio 20000 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', 'a=rtcp-mux', ''].join('\r\n');
  const body = enc.encode(sdp);
  const head = enc.encode(invite.replace('Content-Length: 150', `Content-Length: ${body.length}`));
  const msg = new Uint8Array(head.length + body.length);
  msg.set(head);
  msg.set(body, head.length);
  const pkts: UdpPacket[] = [{ ts: 1000, src: '10.0.0.1', sport: 5060, dst: '10.0.0.2', dport: 5060, payload: msg }];
  pkts.push({ ts: 1001, src: '10.0.0.2', sport: 30000, dst: '10.0.0.1', dport: 20000, payload: rtpPacket(0, 1, 0xabcd) });
  const events: Record<string, unknown>[] = [];
  const run = await runCaptures([writeUdpPcap(pkts)], undefined, { onEvent: (ev) => void (ev.type === 'sip.media' && events.push(ev)) });
  try {
    assert.equal(run.conns.find((x) => x.rPort === 20000)!.service, 'srtp');
    assert.deepEqual([events[0].srtp, events[0].crypto, events[0].rtcp_port], [true, true, 20000]);
    assert.ok(!JSON.stringify(events).includes('PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR'));
    assert.equal(run.log('rtp')[0].srtp, true);
    assert.ok(!readFileSync(join(run.outDir, 'logs', 'rtp.log'), 'utf8').includes('inline'));
  } finally {
    run.cleanup();
  }
});

test('probe() and the parsers: RTP and RTCP headers, unprivileged ports only, RTCP lengths tiling the datagram', () => {
  const h: RtpHeader = { payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadLen: 0 };
  const p = rtpPacket(8, 100, 0x11223344);
  assert.ok(readRtp(p, 0, p.length, h));
  assert.deepEqual([h.payloadType, h.seq, h.ssrc, h.payloadLen], [8, 100, 0x11223344, 160]);
  assert.equal(probe(p, 0, p.length, true, 17, 40000), PROBE_YES);
  assert.equal(probe(p, 0, p.length, true, 17, 53), PROBE_NO);
  assert.equal(probe(p, 0, p.length, true, 6, 40000), PROBE_NO);
  const unassigned = rtpPacket(50, 1, 1);
  assert.equal(probe(unassigned, 0, unassigned.length, true, 17, 40000), PROBE_NO);
  // Padding longer than the packet, and a CSRC count past its end.
  const bad = rtpPacket(0, 1, 1, 4);
  bad[0] = 0xa0;
  bad[bad.length - 1] = 200;
  assert.equal(readRtp(bad, 0, bad.length, h), false);
  bad[0] = 0x8f;
  assert.equal(readRtp(bad, 0, bad.length, h), false);
  // An empty receiver report (RFC 3550 §6.4.2, 8 bytes) and one whose length overruns it.
  const rr = Uint8Array.from([0x80, 201, 0, 1, 1, 2, 3, 4]);
  assert.deepEqual(parseRtcp(rr, 0, rr.length)?.types, [201]);
  assert.equal(probe(rr, 0, rr.length, true, 17, 40001), PROBE_YES);
  rr[3] = 2;
  assert.equal(parseRtcp(rr, 0, rr.length), null);
});

test('the RTP parsers survive truncation and random mutation', () => {
  const h: RtpHeader = { payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadLen: 0 };
  const sdes = Uint8Array.from([0x81, 200, 0, 6, 0, 0, 0, 1, ...new Array(20).fill(0), 0x81, 202, 0, 3, 0, 0, 0, 1, 1, 5, 0x61, 0x40, 0x62, 0x2e, 0x63, 0]);
  fuzzParser([rtpPacket(0, 1, 2), sdes], (b) => {
    readRtp(b, 0, b.length, h);
    parseRtcp(b, 0, b.length, true);
    probe(b, 0, b.length, true, 17, 5004);
  });
  fuzzParser([enc.encode('v=0\r\ns=Media Presentation\r\na=tool:LIVE555 Streaming Media v2013.02.11\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:8 PCMA/8000\r\na=rtcp:4005\r\n')], (b) => {
    const text = Buffer.from(b).toString('latin1');
    for (const m of parseSdp(text)) mediaSummary(m);
    sdpSession(text);
  });
  fuzzParser([enc.encode('RTP/AVP;unicast;client_port=1-2;server_port=3-4;destination=1.2.3.4')], (b) => void parseTransport(Buffer.from(b).toString('latin1')));
});

test('a flow RTP lets go of is probed again: STUN after three RTP-looking datagrams is STUN (synthetic)', async () => {
  const pkts: UdpPacket[] = [0, 1, 2].map((i) => ({ ts: 1000 + i, src: '10.0.0.1', sport: 40000, dst: '10.0.0.2', dport: 40002, payload: rtpPacket(0, 1000 * i + 7, 0x1000 + i) }));
  // A STUN Binding request (RFC 8489 §5): type 0x0001, length 0, the magic cookie, a transaction id.
  pkts.push({ ts: 1004, src: '10.0.0.1', sport: 40000, dst: '10.0.0.2', dport: 40002, payload: Uint8Array.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) });
  const run = await runCaptures([writeUdpPcap(pkts)]);
  try {
    assert.equal(run.conns[0].service, 'stun');
    assert.equal(run.log('rtp').length, 0);
  } finally {
    run.cleanup();
  }
});
