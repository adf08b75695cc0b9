// Cheap recognition of PPTP on any port: the client's first message is a
// Start-Control-Connection-Request (RFC 2637 §2.1) — length 156, control message type 1 and the
// magic cookie 0x1A2B3C4D. A reply from the responder is a "maybe".
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { SCCRP, SCCRQ, headerFits } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 12) return len > 0 && buf[off] === 0 ? PROBE_MAYBE : PROBE_NO;
  if (!headerFits(buf, off, len)) return PROBE_NO;
  const type = (buf[off + 8] << 8) | buf[off + 9];
  if (isOrig && type === SCCRQ) return PROBE_YES;
  return !isOrig && type === SCCRP ? PROBE_MAYBE : PROBE_NO;
}
