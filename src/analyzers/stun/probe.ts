// Cheap recognition of STUN on any UDP port: the header's two zero bits, a 4-byte-aligned length
// that fits the datagram, and the magic cookie 0x2112A442 (RFC 8489 §5), with a known method.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { METHODS, parseMessage } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len === 0 || (buf[off] & 0xc0) !== 0) return PROBE_NO;
  const m = parseMessage(buf, off, len);
  return m !== null && METHODS[m.method] !== undefined && m.total === len ? PROBE_YES : PROBE_NO;
}
