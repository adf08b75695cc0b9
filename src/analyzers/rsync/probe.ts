// rsync's daemon protocol on any port: "@RSYNCD: " and a protocol number, from either side.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { startsGreeting } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (!startsGreeting(buf, off, len)) return PROBE_NO;
  return len > 9 ? PROBE_CERTAIN : PROBE_MAYBE;
}
