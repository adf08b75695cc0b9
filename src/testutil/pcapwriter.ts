// Writes small classic pcap files of Ethernet/IPv4/UDP or raw Ethernet frames, for the few
// tests that need a case no real capture covers (the tests say so where they use it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface UdpPacket {
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  payload: Uint8Array;
}

const ip4 = (s: string): number[] => s.split('.').map(Number);

function udpFrame(p: UdpPacket): Buffer {
  const ipLen = 20 + 8 + p.payload.length;
  const f = Buffer.alloc(14 + ipLen);
  Buffer.from('0200000000020200000000010800', 'hex').copy(f, 0);
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

/** A pcap of the given Ethernet frames; returns its path in a new temporary directory. */
export function writePcap(frames: { ts: number; frame: Uint8Array }[]): string {
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(65535, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  for (const { ts, frame } of frames) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(Math.floor(ts), 0);
    h.writeUInt32LE(Math.round((ts % 1) * 1e6), 4);
    h.writeUInt32LE(frame.length, 8);
    h.writeUInt32LE(frame.length, 12);
    parts.push(h, Buffer.from(frame));
  }
  const path = join(mkdtempSync(join(tmpdir(), 'wardline-pcap-')), 'synthetic.pcap');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export function writeUdpPcap(packets: UdpPacket[]): string {
  return writePcap(packets.map((p) => ({ ts: p.ts, frame: udpFrame(p) })));
}
