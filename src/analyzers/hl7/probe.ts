// Cheap recognition of HL7 over MLLP on any port: a start block (0x0B) then an MSH segment
// header (or a batch/file header, BHS/FHS), from either side.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MLLP_START } from './parse.js';

const HEADERS = ['MSH', 'BHS', 'FHS'];

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 1 || buf[off] !== MLLP_START) return PROBE_NO;
  if (len < 5) return PROBE_MAYBE;
  const id = String.fromCharCode(buf[off + 1], buf[off + 2], buf[off + 3]);
  if (!HEADERS.includes(id)) return PROBE_NO;
  const fs = buf[off + 4];
  return fs > 0x20 && fs < 0x7f ? PROBE_YES : PROBE_NO;
}
