// Writes small classic pcap files of Ethernet/IPv4/UDP, Ethernet/IPv4/TCP conversations or raw
// Ethernet frames, for the few tests that need a case no real capture covers (the tests say so
// where they use it); and reads a generated capture's frames back as fuzzing seeds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface UdpPacket {
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  payload: Uint8Array;
  /** Ethernet addresses (default 02:00:00:00:00:01 → 02:00:00:00:00:02). */
  srcMac?: string;
  dstMac?: string;
}

const mac = (s: string): Buffer => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));

const ip4 = (s: string): number[] => s.split('.').map(Number);

function udpFrame(p: UdpPacket): Buffer {
  const ipLen = 20 + 8 + p.payload.length;
  const f = Buffer.alloc(14 + ipLen);
  Buffer.from('0200000000020200000000010800', 'hex').copy(f, 0);
  if (p.dstMac !== undefined) mac(p.dstMac).copy(f, 0);
  if (p.srcMac !== undefined) mac(p.srcMac).copy(f, 6);
  f[14] = 0x45;
  f.writeUInt16BE(ipLen, 16);
  f[22] = 64;
  f[23] = 17;
  Buffer.from(ip4(p.src)).copy(f, 26);
  Buffer.from(ip4(p.dst)).copy(f, 30);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  f.writeUInt16BE(~sum & 0xffff, 24);
  f.writeUInt16BE(p.sport, 34);
  f.writeUInt16BE(p.dport, 36);
  f.writeUInt16BE(8 + p.payload.length, 38);
  Buffer.from(p.payload).copy(f, 42);
  return f;
}

/** The global header of a little-endian, microsecond pcap of Ethernet frames (snap length 65535). */
export function pcapHeader(): Buffer {
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(65535, 16);
  gh.writeUInt32LE(1, 20);
  return gh;
}

/** A pcap of the given Ethernet frames; returns its path in a new temporary directory. */
export function writePcap(frames: { ts: number; frame: Uint8Array }[]): string {
  const parts: Buffer[] = [pcapHeader()];
  for (const { ts, frame } of frames) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(Math.floor(ts), 0);
    h.writeUInt32LE(Math.round((ts % 1) * 1e6), 4);
    h.writeUInt32LE(frame.length, 8);
    h.writeUInt32LE(frame.length, 12);
    parts.push(h, Buffer.from(frame));
  }
  const path = join(tempDir('wardline-pcap-'), 'synthetic.pcap');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export function writeUdpPcap(packets: UdpPacket[]): string {
  return writePcap(packets.map((p) => ({ ts: p.ts, frame: udpFrame(p) })));
}

export interface TcpTurn {
  isOrig: boolean;
  bytes: Uint8Array;
}

export interface TcpConversation {
  client: string;
  server: string;
  cport: number;
  sport: number;
  /** Time of the SYN; each segment follows 1 ms after the previous one. */
  t0: number;
  turns: TcpTurn[];
  /** 12 hex digits; by default 02:00:00:00:00:01 for the client and …:02 for the server. */
  clientMac?: string;
  serverMac?: string;
}

/**
 * The Ethernet frames of one whole TCP connection: handshake, each turn as one PSH segment with
 * the sequence numbers running on, and a FIN from each side.
 */
export function tcpConversationFrames(c: TcpConversation): { ts: number; frame: Uint8Array }[] {
  const frames: { ts: number; frame: Uint8Array }[] = [];
  const seq = [1000, 5000];
  let ts = c.t0;
  const cmac = c.clientMac ?? '020000000001';
  const smac = c.serverMac ?? '020000000002';
  const seg = (isOrig: boolean, flags: number, data: Uint8Array): void => {
    const eth = Buffer.from(isOrig ? `${smac}${cmac}0800` : `${cmac}${smac}0800`, 'hex');
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(40 + data.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    Buffer.from(ip4(isOrig ? c.client : c.server)).copy(ip, 12);
    Buffer.from(ip4(isOrig ? c.server : c.client)).copy(ip, 16);
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(isOrig ? c.cport : c.sport, 0);
    tcp.writeUInt16BE(isOrig ? c.sport : c.cport, 2);
    const s = isOrig ? 0 : 1;
    tcp.writeUInt32BE(seq[s], 4);
    tcp.writeUInt32BE(seq[1 - s], 8);
    tcp[12] = 0x50;
    tcp[13] = flags;
    tcp.writeUInt16BE(65535, 14);
    seq[s] = (seq[s] + data.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
    frames.push({ ts: (ts += 0.001), frame: Buffer.concat([eth, ip, tcp, data]) });
  };
  const none = new Uint8Array(0);
  seg(true, TCP_SYN, none);
  seg(false, TCP_SYN | TCP_ACK, none);
  seg(true, TCP_ACK, none);
  for (const t of c.turns) seg(t.isOrig, TCP_PSH | TCP_ACK, t.bytes);
  seg(true, TCP_FIN | TCP_ACK, none);
  seg(false, TCP_FIN | TCP_ACK, none);
  return frames;
}

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

/**
 * A copy of a classic pcap keeping only packets `from`… (1-based, as tshark numbers them): the
 * same capture as if it had been started later (mid-connection). Returns the new file's path.
 */
export function pcapFrom(path: string, from: number): string {
  const src = readFileSync(path);
  const magic = src.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`${path}: not a little-endian classic pcap`);
  const parts: Buffer[] = [src.subarray(0, 24)];
  let p = 24;
  for (let n = 1; p + 16 <= src.length; n++) {
    const end = p + 16 + src.readUInt32LE(p + 8);
    if (n >= from) parts.push(src.subarray(p, end));
    p = end;
  }
  const out = join(tempDir('wardline-pcap-'), 'cut.pcap');
  writeFileSync(out, Buffer.concat(parts));
  return out;
}

/**
 * The frames of a little-endian pcap file (as tcpdump writes them), each from byte `skip` on:
 * past the headers a test's parser does not read (14 for Ethernet, 34 for Ethernet and IPv4 …).
 */
export function pcapFrames(path: string, skip = 0): Uint8Array[] {
  const b = readFileSync(path);
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const cap = b.readUInt32LE(o + 8);
    out.push(Uint8Array.from(b.subarray(o + 16 + Math.min(skip, cap), o + 16 + cap)));
    o += 16 + cap;
  }
  return out;
}
