// Byte → text helpers shared by the discovery analyzers (DNS, DHCP, NTP, syslog, NetBIOS).
// Wire strings are bytes, not text: like Zeek's logs, printable ASCII and valid UTF-8 pass
// through and every other byte is written as `\xNN`, so a log line never hides a control byte.
import { formatAddr } from '../../decode/packet.js';

const HEX = '0123456789abcdef';

/** Buffer's latin1Slice (one string from a byte range in one call); typings omit it. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/** Bytes known to be printable ASCII as a string, made in one step. */
export function asciiString(buf: Uint8Array, off: number, len: number): string {
  return len === 0 ? '' : latin1Slice.call(buf, off, off + len);
}

/** Escapes bytes for a log field: printable ASCII and well-formed UTF-8 kept, others as `\xNN`. */
export function logString(buf: Uint8Array, off: number, len: number): string {
  const end = off + len;
  let i = off;
  // Nearly every field is printable ASCII: one string for it, not one per byte.
  while (i < end && buf[i] >= 0x20 && buf[i] < 0x7f) i++;
  if (i === end) return asciiString(buf, off, len);
  let out = asciiString(buf, off, i - off);
  while (i < end) {
    const b = buf[i];
    if (b >= 0x20 && b < 0x7f) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const n = utf8SeqLen(buf, i, end);
    if (n > 0) {
      out += Buffer.from(buf.buffer, buf.byteOffset + i, n).toString('utf8');
      i += n;
      continue;
    }
    out += '\\x' + HEX[b >> 4] + HEX[b & 15];
    i++;
  }
  return out;
}

/** Length of a well-formed UTF-8 multi-byte sequence at `i` (RFC 3629 §4), or 0. */
function utf8SeqLen(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i];
  let n: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else return 0;
  if (i + n > end) return 0;
  let cp = b & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const c = buf[i + k];
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** Lower-case hex of `len` bytes, optionally separated (":" for MAC-like identifiers). */
export function hexString(buf: Uint8Array, off: number, len: number, sep = ''): string {
  let out = '';
  for (let i = 0; i < len; i++) {
    if (i > 0) out += sep;
    const b = buf[off + i];
    out += HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

export function ipv4String(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

export function ipv6String(buf: Uint8Array, off: number): string {
  const w = (k: number): number => ((buf[off + k] << 24) | (buf[off + k + 1] << 16) | (buf[off + k + 2] << 8) | buf[off + k + 3]) >>> 0;
  return formatAddr(w(0), w(4), w(8), w(12));
}

/** Big-endian unsigned reads; callers check bounds first. */
export function u16(buf: Uint8Array, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

export function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}
