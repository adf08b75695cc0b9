// synObservation() on packets built byte by byte for the quirks the corpus SYNs do not show
// (synthetic: no public capture has, e.g., an excessive window scale or data after EOL), and a
// truncation / mutation run over real SYNs from the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PacketRecord } from '../capture/record.js';
import { Decoder, L4 } from '../decode/decoder.js';
import type { PacketMeta } from '../decode/packet.js';
import { Weirds } from '../decode/weird.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { fuzzParser } from '../testutil/fuzz.js';
import { synObservation } from './p0f-observe.js';
import { formatTcpSignature } from './p0f-tcp.js';
import { forEachL4Packet } from './testutil.js';

const LINKTYPE_IPV4 = 228;
const dec = new Decoder(new Weirds());
const rec = new PacketRecord();

function decode(bytes: Uint8Array): PacketMeta | null {
  rec.buf = bytes;
  rec.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  rec.off = 0;
  rec.caplen = bytes.length;
  rec.wirelen = bytes.length;
  rec.linkType = LINKTYPE_IPV4;
  rec.packetNo = 1;
  return dec.decode(rec, 0) === L4 ? dec.m : null;
}

interface Spec {
  tos?: number;
  ipId?: number;
  /** IPv4 flags+fragment field. */
  frag?: number;
  ttl?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  urg?: number;
  opts?: number[];
  payload?: number;
}

/** An IPv4 + TCP packet (checksums left zero: nothing here checks them). */
function packet(s: Spec): Uint8Array {
  const opts = s.opts ?? [];
  const tcpLen = 20 + opts.length;
  assert.equal(tcpLen % 4, 0, 'options must fill whole words');
  const total = 20 + tcpLen + (s.payload ?? 0);
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  b[0] = 0x45;
  b[1] = s.tos ?? 0;
  v.setUint16(2, total);
  v.setUint16(4, s.ipId ?? 0x1234);
  v.setUint16(6, s.frag ?? 0x4000);
  b[8] = s.ttl ?? 64;
  b[9] = 6;
  v.setUint32(12, 0x0a000001);
  v.setUint32(16, 0x0a000002);
  v.setUint16(20, 40000);
  v.setUint16(22, 80);
  v.setUint32(24, s.seq ?? 0x11223344);
  v.setUint32(28, s.ack ?? 0);
  b[32] = (tcpLen / 4) << 4;
  b[33] = s.flags ?? 0x02;
  v.setUint16(34, s.win ?? 29200);
  v.setUint16(38, s.urg ?? 0);
  b.set(opts, 40);
  return b;
}

const MSS1460 = [2, 4, 0x05, 0xb4];
const NOP = [1];

function observe(s: Spec) {
  const m = decode(packet(s));
  assert.ok(m !== null);
  return synObservation(m);
}

test('synObservation() builds the layout and the usual Linux SYN quirks', () => {
  const o = observe({ opts: [...MSS1460, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, ...NOP, 3, 3, 7] });
  assert.ok(o !== null);
  assert.deepEqual([o.olayout, [...o.quirks].sort(), o.mss, o.wscale, o.win, o.olen, o.payloadClass, o.isResponse], ['mss,sok,ts,nop,ws', ['df', 'id+'], 1460, 7, 29200, 0, 0, false]);
  assert.equal(formatTcpSignature(o), '4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0');
});

test('synObservation() flags timestamp, window-scale and EOL quirks', () => {
  // ts1 = 0, ts2 = 5 on a SYN; ws 15 (> 14); EOL followed by 00 00 07 00 00 00: non-zero padding.
  const o = observe({ opts: [...MSS1460, 8, 10, 0, 0, 0, 0, 0, 0, 0, 5, 3, 3, 15, 0, 0, 0, 7, 0, 0, 0] });
  assert.deepEqual([o?.olayout, [...(o?.quirks ?? [])].sort()], ['mss,ts,ws,eol+6', ['df', 'exws', 'id+', 'opt+', 'ts1-', 'ts2+']]);
  // Like p0f, a non-zero byte that is the header's very last byte is not noticed.
  const last = observe({ opts: [...MSS1460, 1, 1, 0, 9] });
  assert.deepEqual([last?.olayout, last?.quirks.has('opt+')], ['mss,nop,nop,eol+1', false]);
});

test('synObservation() flags IP and TCP header quirks', () => {
  // Reserved flag bit set, DF clear with IP ID 0, ECT(0), zero sequence number, PSH, and an
  // urgent pointer without URG.
  const o = observe({ frag: 0x8000, ipId: 0, tos: 0x02, seq: 0, flags: 0x02 | 0x08, urg: 7, opts: MSS1460 });
  assert.deepEqual([...(o?.quirks ?? [])].sort(), ['0+', 'ecn', 'id-', 'pushf+', 'seq-', 'uptr+']);
  // ECE+CWR on a SYN also mean ECN; URG set is urgf+.
  assert.deepEqual([...(observe({ flags: 0x02 | 0x40 | 0x80 | 0x20, opts: MSS1460 })?.quirks ?? [])].sort(), ['df', 'ecn', 'id+', 'urgf+']);
  // p0f's ack+ only sees the lowest bit of the acknowledgment number.
  assert.equal(observe({ ack: 1, opts: MSS1460 })?.quirks.has('ack+'), true);
  assert.equal(observe({ ack: 2, opts: MSS1460 })?.quirks.has('ack+'), false);
});

test('synObservation() flags malformed options as bad and keeps what it could read', () => {
  // MSS with length byte 5: p0f reads it anyway and marks the packet.
  const o = observe({ opts: [2, 5, 0x05, 0xb4, ...NOP, ...NOP, ...NOP, ...NOP] });
  assert.deepEqual([o?.olayout, o?.mss, o?.quirks.has('bad')], ['mss,nop,nop,nop,nop', 1460, true]);
  // An unknown option whose length runs past the header.
  const p = observe({ opts: [...MSS1460, 99, 12, 0, 0] });
  assert.deepEqual([p?.olayout, p?.quirks.has('bad')], ['mss,?99', true]);
});

test('synObservation() answers SYN and SYN+ACK only, with payload class and the peer MSS', () => {
  const sa = decode(packet({ flags: 0x12, ack: 0, opts: MSS1460, payload: 3 }))!;
  const o = synObservation(sa, 1400);
  assert.deepEqual([o?.isResponse, o?.quirks.has('ack-'), o?.payloadClass, o?.synMss], [true, true, 1, 1400]);
  assert.equal(synObservation(decode(packet({ flags: 0x10, opts: MSS1460 }))!), null);
  assert.equal(synObservation(decode(packet({ flags: 0x02 | 0x04, opts: MSS1460 }))!), null);
});

const GET = corpus('zeek/traces/http/get.pcap');
test('synObservation() never throws on truncated or mutated real SYNs', { skip: (!haveCorpus() || !existsSync(GET)) && 'corpus capture missing' }, async () => {
  const seeds: Uint8Array[] = [];
  await forEachL4Packet(GET, (m) => {
    if ((m.tcpFlags & 0x02) !== 0) seeds.push(m.buf.slice(m.l3Off, m.frameEnd));
  });
  assert.ok(seeds.length >= 2);
  fuzzParser(seeds, (b) => {
    const m = decode(b);
    if (m !== null) synObservation(m);
  });
});
