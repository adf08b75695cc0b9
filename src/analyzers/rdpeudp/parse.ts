// RDP's UDP transport (MS-RDPEUDP): the SYN and SYN+ACK datagrams that open it, and the TLS or
// DTLS ClientHello it then carries. Pure functions over (buffer, offset, length); multi-byte
// fields are big-endian (§2.2). Data datagrams are not reassembled: once the transport is up,
// everything but the first ClientHello is encrypted RDP.
//
// SYN datagram (§3.1.5.1.1): RDPUDP_FEC_HEADER (snSourceAck = -1, uReceiveWindowSize, uFlags),
// RDPUDP_SYNDATA_PAYLOAD (snInitialSequenceNumber, uUpStreamMtu, uDownStreamMtu, each MTU
// 1132–1232), then RDPUDP_CORRELATION_ID_PAYLOAD and RDPUDP_SYNDATAEX_PAYLOAD when their flags
// say so; zero-padded to the MTU. The SYN+ACK has snSourceAck = the client's initial sequence
// number and the ACK flag. Every later datagram of version 1 and 2 opens with the same
// RDPUDP_FEC_HEADER, which is how a transport joined after its handshake is recognised on 3389.

/** snSourceAck of a SYN: -1, nothing acknowledged yet. */
export const SOURCE_ACK_NONE = 0xffffffff;
export const RDP_PORT = 3389;
export const FLAG_SYN = 0x0001;
export const FLAG_ACK = 0x0004;
export const FLAG_SYNLOSSY = 0x0200;
export const FLAG_CORRELATION_ID = 0x0800;
export const FLAG_SYNEX = 0x1000;
/** uFlags bits §2.2.2.1 defines (SYN … SYNEX); the rest are never set. */
const FLAGS_DEFINED = 0x1fff;
const FEC_HEADER = 8;
export const MIN_MTU = 1132;
export const MAX_MTU = 1232;
/** RDPUDP_FEC_HEADER + RDPUDP_SYNDATA_PAYLOAD. */
const SYN_FIXED = 16;
const CORRELATION_LEN = 32;
const SYNEX_VERSION_INFO_VALID = 0x0001;
/** uUdpVer values (§2.2.2.9): version 3 switches the data packets to MS-RDPEUDP2. */
const UDP_VERSIONS: Record<number, number> = { 0x0001: 1, 0x0002: 2, 0x0101: 3 };

export interface Syn {
  /** snSourceAck: -1 (0xffffffff) in a SYN, the client's initial sequence number in a SYN+ACK. */
  sourceAck: number;
  flags: number;
  initialSeq: number;
  upMtu: number;
  downMtu: number;
  /** Hex of uCorrelationId, when the SYN carries one (it names the TCP connection's session). */
  correlationId?: string;
  /** 1, 2 or 3 from RDPUDP_SYNDATAEX_PAYLOAD; absent means version 1. */
  version?: number;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** A SYN or SYN+ACK datagram, or null when `b` is not one. */
export function parseSyn(b: Uint8Array, off: number, len: number): Syn | null {
  if (len < SYN_FIXED) return null;
  const flags = u16(b, off + 6);
  if ((flags & FLAG_SYN) === 0) return null;
  const upMtu = u16(b, off + 12);
  const downMtu = u16(b, off + 14);
  if (upMtu < MIN_MTU || upMtu > MAX_MTU || downMtu < MIN_MTU || downMtu > MAX_MTU) return null;
  const s: Syn = { sourceAck: u32(b, off), flags, initialSeq: u32(b, off + 8), upMtu, downMtu };
  let p = off + SYN_FIXED;
  const end = off + len;
  if ((flags & FLAG_CORRELATION_ID) !== 0) {
    if (p + CORRELATION_LEN > end) return s;
    s.correlationId = Buffer.from(b.buffer, b.byteOffset + p, 16).toString('hex');
    p += CORRELATION_LEN;
  }
  if ((flags & FLAG_SYNEX) !== 0 && p + 4 <= end && (u16(b, p) & SYNEX_VERSION_INFO_VALID) !== 0) {
    const v = UDP_VERSIONS[u16(b, p + 2)];
    if (v !== undefined) s.version = v;
  }
  return s;
}

/**
 * Whether a datagram opens with the RDPUDP_FEC_HEADER of an established transport: only
 * defined flags, ACK set (every datagram after the handshake acknowledges, §3.1.5.1.3), no SYN,
 * a receive window, and a source ACK other than the SYN's -1.
 */
export function isEstablishedHeader(b: Uint8Array, off: number, len: number): boolean {
  if (len < FEC_HEADER) return false;
  const flags = u16(b, off + 6);
  return (flags & ~FLAGS_DEFINED) === 0 && (flags & FLAG_ACK) !== 0 && (flags & FLAG_SYN) === 0 && u16(b, off + 4) !== 0 && u32(b, off) !== SOURCE_ACK_NONE;
}

/** Where a TLS or DTLS handshake record holding a whole ClientHello starts in a datagram. */
export interface HelloAt {
  /** Offset and length of the ClientHello body (after the handshake header). */
  off: number;
  len: number;
  dtls: boolean;
}

const TLS_HANDSHAKE = 22;
const CLIENT_HELLO = 1;
/** The transport's headers before the payload are well under this (§2.2.2, MS-RDPEUDP2 §2.2.1). */
const MAX_HEADER_SCAN = 64;

function u24(b: Uint8Array, i: number): number {
  return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

/**
 * The ClientHello in a data datagram. The source-packet headers before it vary with the
 * transport version and flags (ACK vectors, FEC, MS-RDPEUDP2's obfuscated prefix byte), so the
 * record is found by its own framing, checked at both layers, in the datagram's first bytes.
 */
export function findClientHello(b: Uint8Array, off: number, len: number): HelloAt | null {
  const end = off + len;
  const last = Math.min(end - 9, off + MAX_HEADER_SCAN);
  for (let i = off; i < last; i++) {
    if (b[i] !== TLS_HANDSHAKE) continue;
    const major = b[i + 1];
    const minor = b[i + 2];
    if (major === 3 && minor <= 4) {
      const rlen = u16(b, i + 3);
      if (b[i + 5] !== CLIENT_HELLO || i + 5 + rlen > end) continue;
      const hlen = u24(b, i + 6);
      if (hlen + 4 > rlen) continue;
      return { off: i + 9, len: hlen, dtls: false };
    }
    // DTLS 1.0 (fe ff) and 1.2 (fe fd): 13-byte record header, 12-byte handshake header.
    if (major === 0xfe && (minor === 0xff || minor === 0xfd) && i + 25 <= end) {
      const rlen = u16(b, i + 11);
      if (b[i + 13] !== CLIENT_HELLO || i + 13 + rlen > end) continue;
      const hlen = u24(b, i + 14);
      // An unfragmented hello: fragment offset 0 and fragment length = message length.
      if (u24(b, i + 19) !== 0 || u24(b, i + 22) !== hlen || hlen + 12 > rlen) continue;
      return { off: i + 25, len: hlen, dtls: true };
    }
  }
  return null;
}
