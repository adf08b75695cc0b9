// Cheap recognition of PostgreSQL on any port: the client speaks first with an untyped message
// whose second word is a registered code (SSLRequest 80877103, GSSENCRequest 80877104,
// CancelRequest 80877102) or protocol 3.0 (196608) followed by name/value parameters.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CANCEL_REQUEST_CODE, CANCEL_REQUEST_LEN, GSSENC_REQUEST_CODE, MAX_STARTUP_LEN, PROTOCOL_V3, SSL_REQUEST_CODE, SSL_REQUEST_LEN, readU32 } from './parse.js';

/** Bytes of the first parameter name looked at. */
const MAX_NAME = 64;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig) return PROBE_NO;
  // The length word is big-endian and below 10,000: its first two bytes are zero.
  if (len < SSL_REQUEST_LEN) return (len < 1 || buf[off] === 0) && (len < 2 || buf[off + 1] <= (MAX_STARTUP_LEN >> 8)) ? PROBE_MAYBE : PROBE_NO;
  const n = readU32(buf, off);
  const code = readU32(buf, off + 4);
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) return n === SSL_REQUEST_LEN ? PROBE_YES : PROBE_NO;
  if (code === CANCEL_REQUEST_CODE) return n === CANCEL_REQUEST_LEN ? PROBE_YES : PROBE_NO;
  if (code !== PROTOCOL_V3 || n <= SSL_REQUEST_LEN || n > MAX_STARTUP_LEN) return PROBE_NO;
  // The first parameter name is a printable identifier ("user", "database" …).
  const end = Math.min(off + len, off + n, off + SSL_REQUEST_LEN + MAX_NAME);
  for (let p = off + SSL_REQUEST_LEN; p < end; p++) {
    const b = buf[p];
    if (b === 0) return p > off + SSL_REQUEST_LEN ? PROBE_YES : PROBE_NO;
    if (b < 0x21 || b > 0x7e) return PROBE_NO;
  }
  return PROBE_MAYBE;
}
