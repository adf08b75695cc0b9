// Cheap recognition of ASTM on any port (instruments and LIS interfaces use whatever port the
// site configured): a LIS01-A2 transfer's opening (ENQ, then a frame "STX FN H|\^&") or a
// header record sent without framing ("H|\^&|"); the receiver's ACK, alone, waits for more.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { ACK, ENQ, STX, looksLikeHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 1) return PROBE_NO;
  let p = off;
  const end = off + len;
  const first = buf[p];
  if (first === ACK) return len === 1 ? PROBE_MAYBE : PROBE_NO;
  if (first === ENQ) {
    p++;
    if (p === end) return PROBE_MAYBE;
  }
  if (buf[p] === STX) {
    if (p + 1 === end) return PROBE_MAYBE;
    const fn = buf[p + 1];
    if (fn < 0x30 || fn > 0x37) return PROBE_NO;
    p += 2;
    if (p === end) return PROBE_MAYBE;
  } else if (first === ENQ) {
    return PROBE_NO;
  }
  if (!looksLikeHeader(buf, p, end - p)) return PROBE_NO;
  return end - p >= 6 ? PROBE_YES : PROBE_MAYBE;
}
