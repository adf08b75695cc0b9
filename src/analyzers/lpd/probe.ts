// Cheap recognition of LPD: a client's first line is a daemon command (code 1–5, a queue name
// and operands of printable ASCII, LF). Two bytes of structure say little, so this is a "maybe",
// which starts the analyzer on port 515 only; a whole command line there is a yes.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { LPD_PORT, MAX_LINE, parseDaemonCommand } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 6 || !isOrig || len < 2) return PROBE_NO;
  const end = off + Math.min(len, MAX_LINE);
  let lf = off;
  while (lf < end && buf[lf] !== 0x0a) lf++;
  if (lf === end) return PROBE_NO;
  if (parseDaemonCommand(buf, off, lf) === null) return PROBE_NO;
  return port === LPD_PORT ? PROBE_YES : PROBE_MAYBE;
}
