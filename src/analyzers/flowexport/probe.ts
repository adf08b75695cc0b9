// sFlow, NetFlow and IPFIX on any UDP port: a header whose lengths and counts all check out.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseExport } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  return isOrig && parseExport(buf, off, len) !== null ? PROBE_YES : PROBE_NO;
}
