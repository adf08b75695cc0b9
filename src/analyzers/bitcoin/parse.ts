// Bitcoin's peer-to-peer protocol (developer reference, "P2P Network"): messages with a header
// of network magic (4 bytes), command (12, NUL-padded ASCII), payload length (4, little-endian)
// and checksum (first 4 bytes of SHA-256(SHA-256(payload))). Nodes before protocol 209 sent no
// checksum, and until 0.3.x the version and verack messages had none either (a 20-byte header);
// which one a message has is told here by the checksum itself. The version message names the
// node: protocol version, services, its view of the peer's address, user agent (BIP 14), best
// block height. Pure functions; the analyzer keeps the state.
import { createHash } from 'node:crypto';

export const HEADER = 24;
export const OLD_HEADER = 20;
/** Largest payload the protocol allows (a block message; MAX_PROTOCOL_MESSAGE_LENGTH 4,000,000 plus slack). */
export const MAX_PAYLOAD = 32 << 20;
/** Largest version payload read (a user agent is at most 256 bytes). */
export const MAX_VERSION = 1024;

/** Network magic (little-endian u32 as sent) → network name. */
const NETWORKS = new Map<number, string>([
  [0xd9b4bef9, 'main'],
  [0x0709110b, 'testnet3'],
  [0x283f161c, 'testnet4'],
  [0xdab5bffa, 'regtest'],
  [0x40cf030a, 'signet'],
]);

export function networkOf(buf: Uint8Array, off: number): string | null {
  const m = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
  return NETWORKS.get(m) ?? null;
}

/** The command of a header at `off` (12 bytes: lower-case ASCII letters and digits, then NULs), or null. */
export function commandAt(buf: Uint8Array, off: number): string | null {
  let s = '';
  let i = 0;
  for (; i < 12; i++) {
    const c = buf[off + 4 + i];
    if (c === 0) break;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a))) return null;
    s += String.fromCharCode(c);
  }
  if (i === 0) return null;
  for (; i < 12; i++) if (buf[off + 4 + i] !== 0) return null;
  return s;
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Whether the 4 bytes at `at` are the checksum of `len` payload bytes at `p`. */
export function checksumMatches(b: Uint8Array, at: number, p: number, len: number): boolean {
  const h = createHash('sha256').update(createHash('sha256').update(b.subarray(p, p + len)).digest()).digest();
  return h[0] === b[at] && h[1] === b[at + 1] && h[2] === b[at + 2] && h[3] === b[at + 3];
}

export interface BitcoinVersion {
  version: number;
  services: bigint;
  /** The address and port the sender says it sees its peer at (addr_recv). */
  recvAddr: string;
  recvPort: number;
  /** Protocol ≥ 106: the user agent (BIP 14 "/Satoshi:25.0.0/"), best height; ≥ 70001 relay flag. */
  userAgent: string | null;
  startHeight: number | null;
  relay: boolean | null;
}

function addr16(b: Uint8Array, o: number): string {
  let mapped = true;
  for (let i = 0; i < 10; i++) if (b[o + i] !== 0) mapped = false;
  if (mapped && b[o + 10] === 0xff && b[o + 11] === 0xff) return `${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[o + i] << 8) | b[o + i + 1]).toString(16));
  return g.join(':');
}

/** Reads a version payload (`len` bytes at `off`); null when it is cut short or malformed. */
export function parseVersion(b: Uint8Array, off: number, len: number): BitcoinVersion | null {
  if (len < 46) return null;
  const end = off + len;
  const version = u32(b, off) | 0;
  if (version < 1) return null;
  const services = BigInt(u32(b, off + 4)) | (BigInt(u32(b, off + 8)) << 32n);
  // timestamp (8), then addr_recv: services (8), address (16), port (2, big-endian).
  const ar = off + 20;
  const out: BitcoinVersion = { version, services, recvAddr: addr16(b, ar + 8), recvPort: (b[ar + 24] << 8) | b[ar + 25], userAgent: null, startHeight: null, relay: null };
  if (version < 106) return out;
  // addr_from (26), nonce (8), user agent (var_str), start height (4).
  let p = ar + 26 + 26 + 8;
  if (p >= end) return out;
  let n = b[p++];
  if (n === 0xfd) {
    if (p + 2 > end) return null;
    n = b[p] | (b[p + 1] << 8);
    p += 2;
  } else if (n > 0xfd) return null;
  if (n > 256 || p + n + 4 > end) return null;
  let ua = '';
  for (let i = 0; i < n; i++) {
    const c = b[p + i];
    ua += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  out.userAgent = ua;
  p += n;
  out.startHeight = u32(b, p) | 0;
  p += 4;
  if (version >= 70001 && p < end) out.relay = b[p] !== 0;
  return out;
}

/** Service bits named (BIP 111, 144, 157, 159 and the original NODE_NETWORK). */
export function serviceNames(s: bigint): string[] {
  const out: string[] = [];
  const names: [bigint, string][] = [
    [1n, 'NETWORK'],
    [2n, 'GETUTXO'],
    [4n, 'BLOOM'],
    [8n, 'WITNESS'],
    [16n, 'XTHIN'],
    [64n, 'COMPACT_FILTERS'],
    [1024n, 'NETWORK_LIMITED'],
    [2048n, 'P2P_V2'],
  ];
  for (const [bit, name] of names) if ((s & bit) !== 0n) out.push(name);
  return out;
}
