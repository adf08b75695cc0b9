// SMB transport framing and shared field readers: the NetBIOS session service (RFC 1002 §4.3)
// that frames SMB on TCP 139 and, reduced to a 4-byte length, on direct TCP 445 (MS-SMB2 §2.1),
// NetBIOS first-level name decoding (RFC 1001 §14.1), FILETIME conversion and SMB strings.
// Pure functions; SMB1 messages are in smb1.ts, SMB2/3 in smb2.ts.

export const NBSS_HEADER_LEN = 4;
export const NBSS_SESSION_MESSAGE = 0x00;
export const NBSS_SESSION_REQUEST = 0x81;
export const NBSS_POSITIVE_RESPONSE = 0x82;
export const NBSS_NEGATIVE_RESPONSE = 0x83;
export const NBSS_RETARGET_RESPONSE = 0x84;
export const NBSS_KEEPALIVE = 0x85;
/** RFC 1002 allows 17 length bits (the E flag); direct TCP uses 24, but SMB never needs them. */
export const NBSS_MAX_LENGTH = 0x1ffff;
/** Direct TCP (445) carries a 24-bit length; SMB2 messages stay below 16 MiB. */
const DIRECT_TCP_MAX_LENGTH = 0xffffff;

// Protocol ids of SMB1, SMB2, SMB3 transform (encrypted) and compression transform headers.
export const SMB1_MAGIC = 0xff;
export const SMB2_MAGIC = 0xfe;
export const SMB2_TRANSFORM_MAGIC = 0xfd;
export const SMB2_COMPRESSION_MAGIC = 0xfc;

/** True when buf[off..] starts with one of the four SMB protocol ids ("\xffSMB" …). */
export function isSmbMagic(buf: Uint8Array, off: number, avail: number): boolean {
  if (avail < 4) return false;
  const m = buf[off];
  return (m === SMB1_MAGIC || m === SMB2_MAGIC || m === SMB2_TRANSFORM_MAGIC || m === SMB2_COMPRESSION_MAGIC) && buf[off + 1] === 0x53 && buf[off + 2] === 0x4d && buf[off + 3] === 0x42;
}

/**
 * Size of the NBSS message at `off` (header included): > 0 known, 0 need more, -1 not a
 * NBSS header. A session message must carry an SMB protocol id when enough bytes are there.
 */
export function nbssLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < NBSS_HEADER_LEN) return 0;
  const type = buf[off];
  if (type === NBSS_SESSION_MESSAGE) {
    const len = (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
    if (len > DIRECT_TCP_MAX_LENGTH) return -1;
    if (len > 0 && avail >= NBSS_HEADER_LEN + 4 && !isSmbMagic(buf, off + NBSS_HEADER_LEN, 4)) return -1;
    return NBSS_HEADER_LEN + len;
  }
  if (type < NBSS_SESSION_REQUEST || type > NBSS_KEEPALIVE) return -1;
  // Control messages keep the RFC 1002 flags byte: only the E (length extension) bit is valid.
  if (buf[off + 1] & 0xfe) return -1;
  return NBSS_HEADER_LEN + (((buf[off + 1] & 1) << 16) | (buf[off + 2] << 8) | buf[off + 3]);
}

/** Offset of the next plausible NBSS session message carrying SMB in the chunk, or -1. */
export function findNbssStart(buf: Uint8Array, off: number, len: number): number {
  const end = off + len - 8;
  for (let i = off; i <= end; i++) {
    if (buf[i] === NBSS_SESSION_MESSAGE && isSmbMagic(buf, i + 4, 4)) return i;
  }
  return -1;
}

export interface NetbiosName {
  name: string;
  /** The 16th byte: service type (0x20 file server, 0x00 workstation …). */
  suffix: number;
}

/** NBSS SESSION REQUEST: called and calling NetBIOS names (RFC 1002 §4.3.2). */
export function parseSessionRequest(buf: Uint8Array, off: number, len: number): { called: NetbiosName; calling: NetbiosName } | null {
  const p = off + NBSS_HEADER_LEN;
  const end = off + len;
  const called = decodeNetbiosName(buf, p, end);
  if (called === null) return null;
  const calling = decodeNetbiosName(buf, called.next, end);
  if (calling === null) return null;
  return { called: { name: called.name, suffix: called.suffix }, calling: { name: calling.name, suffix: calling.suffix } };
}

/** One first-level encoded name: a 32-byte label of 'A'..'P' nibbles, then the root label. */
function decodeNetbiosName(buf: Uint8Array, p: number, end: number): { name: string; suffix: number; next: number } | null {
  const ENCODED = 32;
  if (p + 1 + ENCODED + 1 > end || buf[p] !== ENCODED) return null;
  let s = '';
  let suffix = 0;
  for (let i = 0; i < 16; i++) {
    const hi = buf[p + 1 + 2 * i] - 0x41;
    const lo = buf[p + 2 + 2 * i] - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
    const c = (hi << 4) | lo;
    if (i === 15) suffix = c;
    else s += String.fromCharCode(c);
  }
  // Scope labels (rare) follow until the zero-length root label.
  let q = p + 1 + ENCODED;
  for (let n = 0; n < 16 && q < end && buf[q] !== 0; n++) q += 1 + buf[q];
  if (q >= end) return null;
  return { name: s.replace(/[ \x00]+$/, ''), suffix, next: q + 1 };
}

export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** Unsigned 64-bit little-endian as a Number (exact below 2^53, which sizes and ids stay under). */
export function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

/** Seconds between 1601-01-01 and 1970-01-01. */
const FILETIME_EPOCH_DIFF_S = 11644473600;
const FILETIME_TICKS_PER_US = 10;

/** A FILETIME (100 ns ticks since 1601) as Unix seconds with microsecond precision; null if unset. */
export function filetime(b: Uint8Array, o: number): number | null {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (lo === 0 && hi === 0) return null;
  const us = (BigInt(hi) * 0x100000000n + BigInt(lo)) / BigInt(FILETIME_TICKS_PER_US) - BigInt(FILETIME_EPOCH_DIFF_S) * 1000000n;
  return Number(us) / 1e6;
}

/** Strings longer than this are cut (paths in SMB are at most 32 KiB, names far less). */
export const MAX_STRING_BYTES = 2048;

/** A string read from a message, and where the next field starts. */
export interface SmbString {
  s: string;
  next: number;
}

/**
 * A NUL-terminated SMB string at `p` (before `end`). Unicode strings are UTF-16LE and, when
 * `alignFrom` is given, start on an even offset from it (the SMB header, MS-CIFS §2.2.1.1).
 */
export function readSmbString(buf: Uint8Array, p: number, end: number, unicode: boolean, alignFrom = -1): SmbString | null {
  if (unicode && alignFrom >= 0 && ((p - alignFrom) & 1) !== 0) p++;
  if (p >= end) return null;
  let q = p;
  if (unicode) {
    while (q + 1 < end && (buf[q] !== 0 || buf[q + 1] !== 0)) q += 2;
    const stop = Math.min(q, p + MAX_STRING_BYTES);
    const s = Buffer.from(buf.buffer, buf.byteOffset + p, (stop - p) & ~1).toString('utf16le');
    return { s, next: Math.min(q + 2, end) };
  }
  while (q < end && buf[q] !== 0) q++;
  const stop = Math.min(q, p + MAX_STRING_BYTES);
  return { s: Buffer.from(buf.buffer, buf.byteOffset + p, stop - p).toString('latin1'), next: Math.min(q + 1, end) };
}

/** UTF-16LE text of a counted buffer (SMB2 names and paths). */
export function utf16(buf: Uint8Array, off: number, len: number): string {
  const n = Math.min(len, MAX_STRING_BYTES) & ~1;
  return Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('utf16le');
}

/** The times of a file as Zeek's smb_files.log shows them (Unix seconds). */
export interface FileTimes {
  created: number | null;
  accessed: number | null;
  modified: number | null;
  changed: number | null;
}

// NTSTATUS values the analyzer acts on (MS-ERREF §2.3.1).
export const STATUS_SUCCESS = 0;
export const STATUS_PENDING = 0x00000103;
export const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
export const STATUS_LOGON_FAILURE = 0xc000006d;
