// Cheap recognition of MySQL/MariaDB on any port: the server speaks first with an Initial
// Handshake packet (sequence 0, protocol 10, a printable version string ending in NUL).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MYSQL_HEADER_LEN, PROTOCOL_V10, ERR_HEADER } from './parse.js';

const MAX_VERSION = 64;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (isOrig || len < MYSQL_HEADER_LEN + 2) return PROBE_NO;
  const plen = buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16);
  if (buf[off + 3] !== 0 || plen < 2 || plen > 1024) return PROBE_NO;
  const p = off + MYSQL_HEADER_LEN;
  if (buf[p] === ERR_HEADER) return PROBE_MAYBE;
  if (buf[p] !== PROTOCOL_V10) return PROBE_NO;
  const end = Math.min(off + len, p + 1 + MAX_VERSION);
  let q = p + 1;
  // The version begins with a digit ("5.7.44", "8.0.36", "5.5.5-10.6.12-MariaDB").
  if (q >= end || buf[q] < 0x30 || buf[q] > 0x39) return PROBE_NO;
  for (; q < end; q++) {
    const b = buf[q];
    if (b === 0) return q - p > 2 ? PROBE_YES : PROBE_NO;
    if (b < 0x20 || b > 0x7e) return PROBE_NO;
  }
  return PROBE_MAYBE;
}
