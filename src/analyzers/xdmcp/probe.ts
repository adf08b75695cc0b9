// Cheap recognition of XDMCP on any UDP port: version 1, a known opcode, and a length that is
// exactly the rest of the datagram.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN, parseHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  void isOrig;
  if (proto !== 17) return PROBE_NO;
  const h = parseHeader(buf, off, len);
  return h !== null && h.end === off + len && len >= HEADER_LEN ? PROBE_YES : PROBE_NO;
}
