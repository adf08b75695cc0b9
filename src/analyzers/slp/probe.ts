// Cheap recognition of SLP: a version 1 or 2 header of a known function whose stated length is
// the datagram's and whose language tag, dialect and encoding are plausible (UDP, any port); on
// TCP the same header on port 427, where the first segment may hold less than the message.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { SLP_PORT, V1_HEADER_LEN, V2_HEADER_LEN, parseHeader, plausibleHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  if (proto === 17) {
    const h = parseHeader(buf, off, len);
    return typeof h !== 'string' && h.length === len && plausibleHeader(h, buf, off) ? PROBE_YES : PROBE_NO;
  }
  if (proto !== 6 || port !== SLP_PORT) return PROBE_NO;
  const h = parseHeader(buf, off, len);
  if (typeof h !== 'string') return plausibleHeader(h, buf, off) ? PROBE_YES : PROBE_NO;
  if (h !== 'length_past_data') return PROBE_NO;
  return (buf[off] === 2 && len >= V2_HEADER_LEN) || (buf[off] === 1 && len >= V1_HEADER_LEN) ? PROBE_MAYBE : PROBE_NO;
}
