// NTP message parser: the on-wire header of modes 1–5 (RFC 5905 §7.3), extension fields and
// MAC of NTPv4 (RFC 7822 §7.5), and the first bytes of control (mode 6, RFC 9327 §2) and
// private (mode 7, ntpd's "mode 7" request/response, as in monlist) messages.
// Pure: bytes in, fields or a status out; never reads out of bounds.
import { ipv4String, logString, u16, u32 } from '../dns/text.js';

export const NTP_HEADER_LEN = 48;
export const MODE_CONTROL = 6;
export const MODE_PRIVATE = 7;
const CONTROL_HEADER_LEN = 12;
const PRIVATE_HEADER_LEN = 8;
/** RFC 7822 §7.5: an extension field is at least 16 bytes and a multiple of 4. */
const MIN_EXT_LEN = 16;
/** A MAC is a 4-byte key id plus a 16- (MD5) or 20-byte (SHA-1) digest. */
const MAX_MAC_LEN = 24;
const MAX_EXTENSIONS = 64;
/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch (1970). */
export const NTP_UNIX_OFFSET = 2208988800;
const FRAC16 = 65536;
const FRAC32 = 4294967296;

export interface NtpStandard {
  leap: number;
  stratum: number;
  /** log2 seconds, signed. */
  poll: number;
  precision: number;
  /** Seconds (RFC 5905 short format). */
  rootDelay: number;
  rootDisp: number;
  /** Stratum 0: kiss code; 1: reference clock id; higher: the upstream server's IPv4 address. */
  refId: string;
  /** Unix seconds; 0 when the timestamp is zero. */
  refTime: number;
  orgTime: number;
  recTime: number;
  xmtTime: number;
  numExts: number;
  keyId?: number;
}

export interface NtpControl {
  opcode: number;
  response: boolean;
  error: boolean;
  more: boolean;
  sequence: number;
  status: number;
  associationId: number;
}

export interface NtpPrivate {
  response: boolean;
  more: boolean;
  authenticated: boolean;
  sequence: number;
  implementation: number;
  requestCode: number;
  error: number;
}

export interface NtpMessage {
  version: number;
  mode: number;
  std?: NtpStandard;
  control?: NtpControl;
  priv?: NtpPrivate;
}

export type NtpStatus = 'short' | 'bad_version' | 'bad_mode';

export function parseNtp(buf: Uint8Array, off: number, len: number): NtpMessage | NtpStatus {
  if (len < 1) return 'short';
  const b0 = buf[off];
  const version = (b0 >> 3) & 7;
  const mode = b0 & 7;
  if (version < 1 || version > 4) return 'bad_version';
  const m: NtpMessage = { version, mode };
  if (mode === MODE_CONTROL) {
    if (len < CONTROL_HEADER_LEN) return 'short';
    const b1 = buf[off + 1];
    m.control = {
      response: (b1 & 0x80) !== 0,
      error: (b1 & 0x40) !== 0,
      more: (b1 & 0x20) !== 0,
      opcode: b1 & 0x1f,
      sequence: u16(buf, off + 2),
      status: u16(buf, off + 4),
      associationId: u16(buf, off + 6),
    };
    return m;
  }
  if (mode === MODE_PRIVATE) {
    if (len < PRIVATE_HEADER_LEN) return 'short';
    m.priv = {
      response: (b0 & 0x80) !== 0,
      more: (b0 & 0x40) !== 0,
      authenticated: (buf[off + 1] & 0x80) !== 0,
      sequence: buf[off + 1] & 0x7f,
      implementation: buf[off + 2],
      requestCode: buf[off + 3],
      error: buf[off + 4] >> 4,
    };
    return m;
  }
  if (mode === 0 && version > 1) return m;
  if (len < NTP_HEADER_LEN) return 'short';
  const stratum = buf[off + 1];
  const s: NtpStandard = {
    leap: b0 >> 6,
    stratum,
    poll: (buf[off + 2] << 24) >> 24,
    precision: (buf[off + 3] << 24) >> 24,
    rootDelay: shortTime(buf, off + 4),
    rootDisp: shortTime(buf, off + 8),
    refId: stratum <= 1 ? logString(buf, off + 12, 4) : ipv4String(buf, off + 12),
    refTime: timestamp(buf, off + 16),
    orgTime: timestamp(buf, off + 24),
    recTime: timestamp(buf, off + 32),
    xmtTime: timestamp(buf, off + 40),
    numExts: 0,
  };
  let p = off + NTP_HEADER_LEN;
  const end = off + len;
  while (end - p > MAX_MAC_LEN && s.numExts < MAX_EXTENSIONS) {
    const l = u16(buf, p + 2);
    if (l < MIN_EXT_LEN || l % 4 !== 0 || p + l > end) break;
    s.numExts++;
    p += l;
  }
  if (end - p >= 4 && end - p <= MAX_MAC_LEN) s.keyId = u32(buf, p);
  m.std = s;
  return m;
}

/** RFC 5905 §6 short format: 16.16 fixed-point seconds. */
function shortTime(buf: Uint8Array, off: number): number {
  return u16(buf, off) + u16(buf, off + 2) / FRAC16;
}

/**
 * RFC 5905 §6 timestamp format (era 0) as Unix seconds at microsecond precision (the double is
 * formed and rounded as Zeek prints it); 0 stays 0.
 */
function timestamp(buf: Uint8Array, off: number): number {
  const sec = u32(buf, off);
  const frac = u32(buf, off + 4);
  if (sec === 0 && frac === 0) return 0;
  return Number((sec - NTP_UNIX_OFFSET + frac / FRAC32).toFixed(6));
}
