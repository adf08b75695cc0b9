// Capture reader formats. Real captures from the corpus are read as they are, then rewritten
// into the variants the corpus lacks (big-endian pcap, nanosecond pcap, big-endian pcapng with
// several interfaces, timestamp resolutions, simple packet blocks and unknown blocks): synthetic
// containers around real packets, compared with the original's packets and timestamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureReader } from './reader.js';
import { CaptureError } from './errors.js';
import { BufferSource, FileSource } from './source.js';
import type { PacketRecord } from './record.js';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';

interface Pkt {
  sec: number;
  nsec: number;
  link: number;
  caplen: number;
  wirelen: number;
  data: string;
}

async function readAll(bytes: Uint8Array, bufSize?: number, fromFile = false): Promise<{ pkts: Pkt[]; res: Awaited<ReturnType<CaptureReader['read']>> }> {
  const pkts: Pkt[] = [];
  let dir: string | null = null;
  let src: BufferSource | FileSource = new BufferSource(bytes);
  if (fromFile) {
    // A file source reads ahead on a background thread into two alternating buffers.
    dir = mkdtempSync(join(tmpdir(), 'wl-reader-'));
    writeFileSync(join(dir, 'c.pcap'), bytes);
    src = new FileSource(join(dir, 'c.pcap'));
  }
  const r = new CaptureReader(src, 'test', bufSize);
  try {
    const res = await r.read((p: PacketRecord) => {
      pkts.push({ sec: p.tsSec, nsec: p.tsNsec, link: p.linkType, caplen: p.caplen, wirelen: p.wirelen, data: Buffer.from(p.buf.subarray(p.off, p.off + p.caplen)).toString('hex') });
    });
    return { pkts, res };
  } finally {
    src.close();
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a little-endian µs pcap into records (the test's own independent reader). */
function records(pcap: Buffer): { sec: number; usec: number; caplen: number; wirelen: number; data: Buffer }[] {
  const out = [];
  let o = 24;
  while (o + 16 <= pcap.length) {
    const caplen = pcap.readUInt32LE(o + 8);
    out.push({ sec: pcap.readUInt32LE(o), usec: pcap.readUInt32LE(o + 4), caplen, wirelen: pcap.readUInt32LE(o + 12), data: pcap.subarray(o + 16, o + 16 + caplen) });
    o += 16 + caplen;
  }
  return out;
}

const skip = !haveCorpus() && 'shared corpus not present';
const SRC = () => readFileSync(corpus('zeek', 'traces', 'ftp', 'ipv4.pcap'));

test('reads a little-endian microsecond pcap exactly', { skip }, async () => {
  const raw = SRC();
  const want = records(raw);
  const { pkts, res } = await readAll(raw);
  assert.equal(res.error, null);
  assert.equal(pkts.length, want.length);
  assert.equal(pkts[5].sec, want[5].sec);
  assert.equal(pkts[5].nsec, want[5].usec * 1000);
  assert.equal(pkts[5].data, want[5].data.toString('hex'));
});

test('reads the same packets through a buffer smaller than one record', { skip }, async () => {
  const raw = SRC();
  const a = await readAll(raw);
  const b = await readAll(raw, 64);
  assert.deepEqual(b.pkts, a.pkts);
});

test('reads ahead from a file: same packets whatever the chunk size', { skip }, async () => {
  const raw = SRC();
  const a = await readAll(raw);
  for (const size of [64, 1000, 4096, 1 << 16]) {
    const b = await readAll(raw, size, true);
    assert.equal(b.res.error, null);
    assert.deepEqual(b.pkts, a.pkts, `chunk ${size}`);
  }
});

test('reads ahead past a record longer than the head room between chunks', async () => {
  // Synthetic: no corpus capture has a 3 MiB record (a jumbo/TSO capture could); the read-ahead
  // path must gather a record longer than its 1 MiB head room into a buffer of its own.
  const big = Buffer.alloc(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(4 << 20, 16);
  hdr.writeUInt32LE(1, 20);
  const rec = (sec: number, data: Buffer): Buffer => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(sec, 0);
    h.writeUInt32LE(data.length, 8);
    h.writeUInt32LE(data.length, 12);
    return Buffer.concat([h, data]);
  };
  const small = Buffer.from('00112233445566778899aabb0800', 'hex');
  const file = Buffer.concat([hdr, rec(1, small), rec(2, big), rec(3, small), rec(4, big), rec(5, small)]);
  for (const size of [1 << 16, 1 << 20]) {
    const { pkts, res } = await readAll(file, size, true);
    assert.equal(res.error, null);
    assert.deepEqual(pkts.map((p) => p.sec), [1, 2, 3, 4, 5]);
    assert.equal(pkts[1].data, big.toString('hex'));
    assert.equal(pkts[3].data, big.toString('hex'));
    assert.equal(pkts[4].data, small.toString('hex'));
  }
});

test('reads big-endian and nanosecond pcap variants', { skip }, async () => {
  const raw = SRC();
  const recs = records(raw);
  for (const variant of ['be-us', 'le-ns', 'be-ns'] as const) {
    const be = variant.startsWith('be');
    const ns = variant.endsWith('ns');
    const parts: Buffer[] = [];
    const h = Buffer.alloc(24);
    const w32 = (b: Buffer, v: number, o: number) => (be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
    const w16 = (b: Buffer, v: number, o: number) => (be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
    w32(h, ns ? 0xa1b23c4d : 0xa1b2c3d4, 0);
    w16(h, 2, 4);
    w16(h, 4, 6);
    w32(h, 65535, 16);
    w32(h, 1, 20);
    parts.push(h);
    for (const r of recs) {
      const rh = Buffer.alloc(16);
      w32(rh, r.sec, 0);
      w32(rh, ns ? r.usec * 1000 + 7 : r.usec, 4);
      w32(rh, r.caplen, 8);
      w32(rh, r.wirelen, 12);
      parts.push(rh, r.data);
    }
    const { pkts, res } = await readAll(Buffer.concat(parts));
    assert.equal(res.error, null, variant);
    assert.equal(pkts.length, recs.length, variant);
    assert.equal(pkts[3].nsec, recs[3].usec * 1000 + (ns ? 7 : 0), variant);
    assert.equal(pkts[3].data, recs[3].data.toString('hex'), variant);
  }
});

/** Builds pcapng blocks in either byte order. */
class Ng {
  parts: Buffer[] = [];
  constructor(private be: boolean) {}
  private u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.be) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  }
  private u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.be) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  }
  block(type: number, body: Buffer): void {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    this.parts.push(this.u32(type), this.u32(len), body, pad, this.u32(len));
  }
  shb(): void {
    this.block(0x0a0d0d0a, Buffer.concat([this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)]));
  }
  idb(link: number, tsresol?: number): void {
    const opts: Buffer[] = [];
    if (tsresol !== undefined) opts.push(this.u16(9), this.u16(1), Buffer.from([tsresol, 0, 0, 0]));
    opts.push(this.u16(0), this.u16(0));
    this.block(1, Buffer.concat([this.u16(link), this.u16(0), this.u32(0), ...opts]));
  }
  epb(iface: number, ts: bigint, data: Buffer, wirelen: number): void {
    this.block(6, Buffer.concat([this.u32(iface), this.u32(Number(ts >> 32n)), this.u32(Number(ts & 0xffffffffn)), this.u32(data.length), this.u32(wirelen), data]));
  }
  spb(data: Buffer): void {
    this.block(3, Buffer.concat([this.u32(data.length), data]));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

test('reads pcapng in both byte orders with several interfaces, link types and resolutions', { skip }, async () => {
  const recs = records(SRC());
  for (const be of [false, true]) {
    const ng = new Ng(be);
    ng.shb();
    ng.idb(1); // Ethernet, default microseconds
    ng.idb(1, 9); // Ethernet, nanoseconds
    ng.idb(101, 0x80 | 20); // raw IP, 2^-20 s
    ng.block(0x0bad, Buffer.from('unknown block, skipped')); // an unknown block type
    const r0 = recs[0];
    const r1 = recs[1];
    const r2 = recs[2];
    ng.epb(0, BigInt(r0.sec) * 1000000n + BigInt(r0.usec), r0.data, r0.wirelen);
    ng.epb(1, BigInt(r1.sec) * 1000000000n + BigInt(r1.usec) * 1000n + 123n, r1.data, r1.wirelen);
    // raw IP: strip the 14-byte Ethernet header
    ng.epb(2, (BigInt(r2.sec) << 20n) + 524288n, r2.data.subarray(14), r2.wirelen - 14);
    ng.spb(r0.data);
    const { pkts, res } = await readAll(ng.bytes());
    assert.equal(res.error, null);
    assert.deepEqual(res.linkTypes, [1, 101]);
    assert.equal(pkts.length, 4);
    assert.deepEqual([pkts[0].sec, pkts[0].nsec], [r0.sec, r0.usec * 1000]);
    assert.deepEqual([pkts[1].sec, pkts[1].nsec], [r1.sec, r1.usec * 1000 + 123]);
    assert.deepEqual([pkts[2].sec, pkts[2].nsec, pkts[2].link], [r2.sec, 500000000, 101]);
    assert.equal(pkts[2].data, r2.data.subarray(14).toString('hex'));
    assert.equal(pkts[3].data, r0.data.toString('hex'));
  }
});

test('a truncated pcap keeps the packets before the cut and reports where it stopped', { skip }, async () => {
  const raw = SRC();
  const recs = records(raw);
  const cut = 24 + 16 * 3 + recs[0].caplen + recs[1].caplen + recs[2].caplen + 5;
  const { pkts, res } = await readAll(raw.subarray(0, cut));
  assert.equal(pkts.length, 3);
  assert.equal(res.error?.code, 'truncated');
  assert.match(res.error!.message, /after packet 3/);
});

test('a record length beyond any snaplen is reported as corruption, not read', { skip }, async () => {
  const raw = Buffer.from(SRC());
  const recs = records(raw);
  const second = 24 + 16 + recs[0].caplen;
  raw.writeUInt32LE(0x7fffffff, second + 8);
  const { pkts, res } = await readAll(raw);
  assert.equal(pkts.length, 1);
  assert.equal(res.error?.code, 'corrupt');
});

// The libpcap variants of 1999 (a modified magic, or the standard one with longer record
// headers), written by Wireshark's editcap from Zeek's web.pcap: tshark reads the same frames
// from each (web.tshark.tsv), and so does the reader, choosing the record header size by how
// plausible the first records are, as Wireshark's libpcap reader does.
const variants = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'pcap-variants');

for (const t of ['modpcap', 'suse6_3pcap', 'rh6_1pcap', 'nokiapcap']) {
  test(`libpcap variant ${t}: the frames tshark reads`, async () => {
    const want = readFileSync(join(variants, 'web.tshark.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    for (const fromFile of [false, true]) {
      const { pkts, res } = await readAll(readFileSync(join(variants, `web.${t}`)), undefined, fromFile);
      assert.equal(res.error, null);
      assert.deepEqual(
        pkts.map((p, i) => [String(i + 1), String(p.caplen), String(p.wirelen), `${p.sec}.${String(p.nsec).padStart(9, '0')}`]),
        want,
      );
    }
  });
}

// Network Monitor 2.x and 1.x and snoop files editcap wrote from web.pcap: the frames, lengths
// and times tshark reads from them (NetMon 1.x keeps milliseconds), whole and across buffer ends.
for (const [t, tsv] of [['netmon2', 'web.tshark.tsv'], ['snoop', 'web.tshark.tsv'], ['netmon1', 'web.netmon1.tshark.tsv']]) {
  test(`${t}: the frames tshark reads`, async () => {
    const want = readFileSync(join(variants, tsv), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    for (const [bufSize, fromFile] of [[undefined, false], [undefined, true], [700, false]] as const) {
      const { pkts, res } = await readAll(readFileSync(join(variants, `web.${t}`)), bufSize, fromFile);
      assert.equal(res.error, null);
      assert.equal(res.format, t === 'snoop' ? 'snoop' : 'netmon');
      assert.deepEqual(res.linkTypes, [1]);
      assert.deepEqual(
        pkts.map((p, i) => [String(i + 1), String(p.caplen), String(p.wirelen), `${p.sec}.${String(p.nsec).padStart(9, '0')}`]),
        want,
      );
    }
    // The same bytes as the pcap's.
    const { pkts: pcap } = await readAll(readFileSync(join(variants, 'web.rh6_1pcap')));
    const { pkts } = await readAll(readFileSync(join(variants, `web.${t}`)));
    assert.deepEqual(pkts.map((p) => p.data), pcap.map((p) => p.data));
  });
}

/**
 * A Network Monitor 2.3 file as NetMon 3.4 writes it (synthetic: editcap writes only 2.0 and no
 * capture of 2.3 is at hand): each frame followed by its media type, process index, UTC FILETIME
 * and zone index, metadata frames among the packets, and the frame table at the end.
 */
function netmon23(frames: { media: number; data: Uint8Array; utcSec: number; utc100ns: number }[], opts: { table?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let pos = 128;
  for (const f of frames) {
    const hdr = Buffer.alloc(16);
    hdr.writeBigUInt64LE(BigInt(offsets.length * 1000), 0); // offsets from the start; the FILETIMEs win
    hdr.writeUInt32LE(f.data.length, 8);
    hdr.writeUInt32LE(f.data.length, 12);
    const tr = Buffer.alloc(15);
    tr.writeUInt16LE(f.media, 0);
    tr.writeUInt32LE(0xffffffff, 2);
    tr.writeBigUInt64LE((BigInt(f.utcSec) + 11644473600n) * 10000000n + BigInt(f.utc100ns), 6);
    offsets.push(pos);
    parts.push(hdr, Buffer.from(f.data), tr);
    pos += 16 + f.data.length + 15;
  }
  const table = Buffer.alloc(offsets.length * 4);
  offsets.forEach((o, i) => table.writeUInt32LE(o, 4 * i));
  const h = Buffer.alloc(128);
  h.write('GMBU', 0, 'latin1');
  h[4] = 0x03;
  h[5] = 0x02;
  h.writeUInt16LE(1, 6);
  [2012, 3, 4, 7, 8, 9, 10, 11].forEach((x, i) => h.writeUInt16LE(x, 8 + 2 * i));
  if (opts.table !== false) {
    h.writeUInt32LE(pos, 24);
    h.writeUInt32LE(table.length, 28);
  }
  return Buffer.concat([h, ...parts, ...(opts.table !== false ? [table] : [])]);
}

test('netmon 2.3: per-frame media and UTC times, metadata frames numbered but not passed on', async () => {
  const { pkts: web } = await readAll(readFileSync(join(variants, 'web.rh6_1pcap')));
  const eth = (i: number): Uint8Array => Buffer.from(web[i].data, 'hex');
  // Frame 1's IPv4 packet without its Ethernet header: raw IP, pcap link type 101 as media 0xE000 + 101.
  const ip = eth(0).subarray(14);
  const netEvent = Buffer.from('0000112233445566', 'hex');
  const file = netmon23([
    { media: 1, data: eth(0), utcSec: 1331000000, utc100ns: 1234567 },
    { media: 0xffe0, data: netEvent, utcSec: 1331000000, utc100ns: 2000000 },
    { media: 0xe000 + 101, data: ip, utcSec: 1331000001, utc100ns: 9999999 },
    { media: 1, data: eth(1), utcSec: 1331000002, utc100ns: 0 },
  ]);
  for (const bufSize of [undefined, 64]) {
    const { pkts, res } = await readAll(file, bufSize);
    assert.equal(res.error, null);
    assert.equal(res.packets, 4, 'the metadata frame keeps its number');
    assert.deepEqual(res.linkTypes, [1, 101]);
    assert.deepEqual(pkts.map((p) => [p.link, p.sec, p.nsec, p.caplen]), [
      [1, 1331000000, 123456700, eth(0).length],
      [101, 1331000001, 999999900, ip.length],
      [1, 1331000002, 0, eth(1).length],
    ]);
    assert.equal(pkts[1].data, Buffer.from(ip).toString('hex'));
  }
});

test('netmon: a frame table that disagrees, a capture never closed, a frame cut short', async () => {
  const { pkts: web } = await readAll(readFileSync(join(variants, 'web.rh6_1pcap')));
  const frames = web.slice(0, 3).map((p, i) => ({ media: 1, data: Buffer.from(p.data, 'hex'), utcSec: 1331000000 + i, utc100ns: 0 }));
  const good = netmon23(frames);
  // The table lists the second frame at another offset: frames out of file order are reported, not misread.
  const bad = Buffer.from(good);
  bad.writeUInt32LE(bad.readUInt32LE(bad.length - 8) + 4, bad.length - 8);
  let r = await readAll(bad);
  assert.equal(r.pkts.length, 3);
  assert.equal(r.res.error?.code, 'corrupt');
  assert.match(r.res.error!.message, /frame table lists 3 frames at other offsets than found in file order/);
  // No table (NetMon stopped before closing the file): every frame read, then said so.
  r = await readAll(netmon23(frames, { table: false }));
  assert.equal(r.pkts.length, 3);
  assert.equal(r.res.error?.code, 'truncated');
  assert.match(r.res.error!.message, /before its frame table \(the capture was not closed\)/);
  // Cut inside the third frame.
  r = await readAll(good.subarray(0, 128 + 2 * (16 + 15) + frames[0].data.length + frames[1].data.length + 20));
  assert.equal(r.pkts.length, 2);
  assert.equal(r.res.error?.code, 'truncated');
  // A frame longer than the space before the table.
  const over = Buffer.from(good);
  over.writeUInt32LE(0xffff, 128 + 12);
  r = await readAll(over);
  assert.equal(r.pkts.length, 0);
  assert.equal(r.res.error?.code, 'corrupt');
});

test('snoop: a record length shorter than its data is corrupt; cut short is truncated', async () => {
  const snoop = readFileSync(join(variants, 'web.snoop'));
  const bad = Buffer.from(snoop);
  bad.writeUInt32BE(8, 16 + 8);
  let r = await readAll(bad);
  assert.equal(r.pkts.length, 0);
  assert.equal(r.res.error?.code, 'corrupt');
  r = await readAll(snoop.subarray(0, snoop.length - 10));
  assert.equal(r.pkts.length, 23);
  assert.equal(r.res.error?.code, 'truncated');
  const v1 = Buffer.from(snoop);
  v1.writeUInt32BE(1, 8);
  await assert.rejects(readAll(v1), /only version 2 \(RFC 1761\) is read/);
});

test('other capture formats and compressions are named, with how to read them', async () => {
  const msg = async (bytes: Uint8Array): Promise<string> => {
    try {
      await readAll(bytes);
    } catch (e) {
      return (e as Error).message;
    }
    return 'read';
  };
  // Sniffer's formats by their signatures (synthetic: the first bytes of each).
  assert.match(await msg(Buffer.from('XCP\0\0\0\0\0', 'latin1')), /is a NetXRay \/ Windows Sniffer capture, a format wardline does not read: convert it with Wireshark's editcap/);
  assert.match(await msg(Buffer.from('TRSNIFF data    ', 'latin1')), /is a Sniffer \(DOS\) capture/);
  // Compressed files by their magic numbers (synthetic: the first bytes of each format).
  assert.match(await msg(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])), /compressed with zstd: .*zstd -dc FILE \| wardline analyze -/);
  assert.match(await msg(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 0])), /compressed with xz/);
  assert.match(await msg(Uint8Array.from([0x42, 0x5a, 0x68, 0x39, 0, 0, 0, 0])), /compressed with bzip2/);
  assert.match(await msg(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])), /is not a capture wardline reads: pcap, pcapng, Network Monitor or snoop \(magic 0x01020304\)/);
});

test('fuzz: mutated snoop and Network Monitor files are read or refused, never thrown past the reader', async () => {
  const { pkts: web } = await readAll(readFileSync(join(variants, 'web.rh6_1pcap')));
  const seeds = [
    readFileSync(join(variants, 'web.netmon2')),
    readFileSync(join(variants, 'web.netmon1')),
    readFileSync(join(variants, 'web.snoop')),
    netmon23(web.slice(0, 6).map((p, i) => ({ media: i === 2 ? 0xffe0 : i === 4 ? 6 : 1, data: Buffer.from(p.data, 'hex'), utcSec: 1331000000 + i, utc100ns: i }))),
  ];
  let x = 0x9e3779b9;
  const rnd = (n: number): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
  for (let i = 0; i < 400; i++) {
    const b = Buffer.from(seeds[i % seeds.length]);
    for (let k = 1 + rnd(8); k > 0; k--) {
      // Most mutations hit the headers, where the lengths and offsets are.
      const at = rnd(4) === 0 ? rnd(b.length) : rnd(Math.min(b.length, 200));
      b[at] = rnd(256);
    }
    const cut = rnd(3) === 0 ? b.subarray(0, rnd(b.length)) : b;
    try {
      const { pkts } = await readAll(cut, rnd(2) === 0 ? 512 : undefined);
      for (const p of pkts) assert.ok(p.caplen <= cut.length);
    } catch (e) {
      assert.ok(e instanceof CaptureError, String(e));
    }
  }
});
