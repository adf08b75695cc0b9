// Cheap recognition of DNP3 on any port: a data link frame's start octets 0x05 0x64, a length
// of at least 5 and a correct header CRC. The CRC over eight octets is a 16-bit check a
// coincidence passes once in 65536 times after the two start octets: certain.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { LINK_HEADER_LEN, frameLength } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  const n = frameLength(buf, off, Math.min(len, LINK_HEADER_LEN));
  if (n < 0) return PROBE_NO;
  return n === 0 ? PROBE_MAYBE : PROBE_CERTAIN;
}
