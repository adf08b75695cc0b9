// Cheap recognition of KNXnet/IP on any UDP port: the 6-byte header (length 6, version 1.0 or
// 2.0) of a known service whose total length is the datagram's.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN, SERVICES, parseHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len < HEADER_LEN) return PROBE_NO;
  const h = parseHeader(buf, off, len);
  return h !== null && h.total === len && SERVICES[h.service] !== undefined ? PROBE_YES : PROBE_NO;
}
