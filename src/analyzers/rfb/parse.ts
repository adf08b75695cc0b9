// RFB (VNC) handshake messages, RFC 6143 §7.1–7.3: ProtocolVersion, security types (3.3 form
// §7.1.2 note and 3.7+ list), SecurityResult and failure reason, ClientInit and ServerInit,
// plus the Apple Remote Desktop (security type 30) key-exchange framing. Pure functions over
// bytes; the VNC challenge and response are skipped by length, never kept.
import { escapeBytes } from '../l2text.js';

export const VERSION_LEN = 12;
export const SECURITY_INVALID = 0;
export const SECURITY_NONE = 1;
export const SECURITY_VNC = 2;
export const SECURITY_ARD = 30;
export const VNC_CHALLENGE_LEN = 16;
/** ARD: the client's reply is 128 bytes of encrypted credentials then its public key. */
export const ARD_CREDENTIALS_LEN = 128;
/** ServerInit fixed part: width, height, 16-byte pixel format, name length (§7.3.2). */
const SERVER_INIT_FIXED = 24;
export const MAX_NAME = 1024;

export type Status = 'need_more' | 'bad';

export interface Version {
  major: string;
  minor: string;
}

/** "RFB 003.008\n" (§7.1.1). */
export function parseVersion(buf: Uint8Array, off: number, len: number): Version | Status {
  const want = 'RFB ';
  const n = Math.min(len, VERSION_LEN);
  for (let i = 0; i < n; i++) {
    const c = buf[off + i];
    const ok = i < 4 ? c === want.charCodeAt(i) : i === 7 ? c === 0x2e : i === 11 ? c === 0x0a : c >= 0x30 && c <= 0x39;
    if (!ok) return 'bad';
  }
  if (len < VERSION_LEN) return 'need_more';
  return { major: String.fromCharCode(buf[off + 4], buf[off + 5], buf[off + 6]), minor: String.fromCharCode(buf[off + 8], buf[off + 9], buf[off + 10]) };
}

export interface Text {
  text: string;
  consumed: number;
}

function u32(buf: Uint8Array, p: number): number {
  return ((buf[p] << 24) >>> 0) + (buf[p + 1] << 16) + (buf[p + 2] << 8) + buf[p + 3];
}

/** Non-printable bytes as \xNN, the way Zeek writes strings in its logs. */
export function escape(buf: Uint8Array, p: number, n: number): string {
  return escapeBytes(buf, p, p + n, true);
}

/** A 32-bit length then that many bytes (failure reasons, §7.1.2/§7.1.3). */
export function parseReason(buf: Uint8Array, off: number, len: number): Text | Status {
  if (len < 4) return 'need_more';
  const n = u32(buf, off);
  if (n > MAX_NAME) return 'bad';
  if (len < 4 + n) return 'need_more';
  return { text: escape(buf, off + 4, n), consumed: 4 + n };
}

export interface SecurityTypes {
  /** Offered types (3.7+), or the one type the server chose (3.3). */
  types: number[];
  /** Failure reason when the server offered nothing (type 0 / count 0). */
  reason?: string;
  consumed: number;
}

/** The server's security message: 3.3 sends one 32-bit type, 3.7+ a counted list (§7.1.2). */
export function parseSecurityTypes(buf: Uint8Array, off: number, len: number, v33: boolean): SecurityTypes | Status {
  if (v33) {
    if (len < 4) return 'need_more';
    const t = u32(buf, off);
    if (t !== SECURITY_INVALID) return { types: [t], consumed: 4 };
    const r = parseReason(buf, off + 4, len - 4);
    if (typeof r === 'string') return r;
    return { types: [], reason: r.text, consumed: 4 + r.consumed };
  }
  if (len < 1) return 'need_more';
  const n = buf[off];
  if (n === 0) {
    const r = parseReason(buf, off + 1, len - 1);
    if (typeof r === 'string') return r;
    return { types: [], reason: r.text, consumed: 1 + r.consumed };
  }
  if (len < 1 + n) return 'need_more';
  return { types: Array.from(buf.subarray(off + 1, off + 1 + n)), consumed: 1 + n };
}

export interface ServerInit {
  width: number;
  height: number;
  name: string;
  consumed: number;
}

/** ServerInit (§7.3.2). */
export function parseServerInit(buf: Uint8Array, off: number, len: number): ServerInit | Status {
  if (len < SERVER_INIT_FIXED) return 'need_more';
  const n = u32(buf, off + 20);
  if (n > MAX_NAME) return 'bad';
  if (len < SERVER_INIT_FIXED + n) return 'need_more';
  return {
    width: (buf[off] << 8) | buf[off + 1],
    height: (buf[off + 2] << 8) | buf[off + 3],
    name: escape(buf, off + SERVER_INIT_FIXED, n),
    consumed: SERVER_INIT_FIXED + n,
  };
}

/** ARD Diffie-Hellman parameters: generator(2), key length(2), prime, public key. Returns key length and size. */
export function parseArdParams(buf: Uint8Array, off: number, len: number): { keyLen: number; consumed: number } | Status {
  if (len < 4) return 'need_more';
  const keyLen = (buf[off + 2] << 8) | buf[off + 3];
  if (keyLen === 0 || keyLen > 1024) return 'bad';
  if (len < 4 + 2 * keyLen) return 'need_more';
  return { keyLen, consumed: 4 + 2 * keyLen };
}

/** Zeek's names for security types (base/protocols/rfb/main.zeek); Zeek calls any other "RealVNC". */
export function authName(t: number): string {
  const names: Record<number, string> = {
    0: 'Invalid',
    1: 'None',
    2: 'VNC',
    16: 'Tight',
    17: 'Ultra',
    18: 'TLS',
    19: 'VeNCrypt',
    20: 'GTK-VNC SASL',
    21: 'MD5 hash authentication',
    22: 'Colin Dean xvp',
    30: 'Apple Remote Desktop',
  };
  return names[t] ?? 'RealVNC';
}
