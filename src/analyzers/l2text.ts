// Text forms shared by the analyzers: MAC and IP addresses read from bytes, and strings with
// non-printable octets escaped as Zeek writes them in its logs.
import { formatAddr } from '../decode/packet.js';

export function macAt(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + buf[off + i].toString(16).padStart(2, '0');
  return s;
}

export function ipv4At(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 text of a 16-octet IPv6 address (the decoder's formatter, on four 32-bit words). */
export function ipv6At(buf: Uint8Array, off: number): string {
  const w = (k: number): number => ((buf[off + k] << 24) | (buf[off + k + 1] << 16) | (buf[off + k + 2] << 8) | buf[off + k + 3]) >>> 0;
  const w0 = w(0);
  const w1 = w(4);
  const w2 = w(8);
  // An IPv4-mapped address stays in IPv6 notation here (formatAddr prints those as IPv4).
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${ipv4At(buf, off + 12)}`;
  return formatAddr(w0, w1, w2, w(12));
}

/** Printable text of a string field; other octets become \xNN; trailing NULs and spaces go. */
export function printable(buf: Uint8Array, off: number, end: number, max = 512): string {
  let s = '';
  const stop = Math.min(end, off + max);
  for (let i = off; i < stop; i++) {
    const b = buf[i];
    if (b === 0x0a || b === 0x0d || b === 0x09) s += b === 0x09 ? '\t' : '\n';
    else s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s.replace(/(\\x00|\s)+$/, '').replace(/\r?\n/g, '\n');
}

/**
 * Bytes as Zeek writes strings in its logs: printable ASCII kept, every other octet as \xNN;
 * with `backslash`, "\" as \x5c too, so that the text reads back unambiguously.
 */
export function escapeBytes(buf: Uint8Array, off: number, end: number, backslash = false): string {
  let s = '';
  for (let i = off; i < end; i++) {
    const b = buf[i];
    s += b >= 0x20 && b < 0x7f && !(backslash && b === 0x5c) ? String.fromCharCode(b) : `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return s;
}

const HEX = '0123456789abcdef';
