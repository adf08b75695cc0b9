// Cheap recognition of RADIUS on any port (RFC 2865 §3): a known Code (1–5, 11–13, 40–45), a
// Length field equal to the datagram's length, and attributes that tile the packet exactly.
// A bare 20-octet header (an Accounting-Response, an empty Access-Reject) is too little to tell
// from noise, and so is a sound header over damaged attributes: those are only a "maybe", which
// a RADIUS port turns into a start.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { parseRadius } from './parse.js';

const UDP = 17;
/** Two well-formed attributes after a matching length are not a coincidence. */
const MIN_ATTRS_FOR_YES = 2;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== UDP) return PROBE_NO;
  const m = parseRadius(buf, off, len);
  if (typeof m === 'string' || m.length !== len) return PROBE_NO;
  if (m.damaged !== undefined) return PROBE_MAYBE;
  return m.attributes.length >= MIN_ATTRS_FOR_YES ? PROBE_YES : PROBE_MAYBE;
}
