// Cheap recognition of UBDP on any UDP port: a version 1 or 2 header whose length is the rest of
// the datagram, then a TLV list that ends exactly there with every fixed-size type at its size.
// Two or more TLVs, one of a known type, are a yes anywhere; a single TLV, or an empty list (a
// query: four bytes such as `01 00 00 00`), only a maybe, which the host takes on port 10001
// alone — four bytes are too few to tell UBDP from anything else that uses the port.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN, parseHeader, walkTlvs } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17) return PROBE_NO;
  const h = parseHeader(buf, off, len);
  if (h === null || HEADER_LEN + h.length !== len) return PROBE_NO;
  if (h.length === 0) return PROBE_MAYBE;
  const w = walkTlvs(buf, off + HEADER_LEN, h.length);
  if (w === null || w.known === 0) return PROBE_NO;
  return w.tlvs >= 2 ? PROBE_YES : PROBE_MAYBE;
}
