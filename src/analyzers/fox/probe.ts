// Cheap recognition of Niagara Fox: the header of a message, "fox a 1 -1 fox hello" — a whole
// header line is a yes on any port (nothing else starts "fox <letter> <n> <n> "), "fox " and a
// type letter without the rest of the line yet a maybe on 1911.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FOX_PORT, looksLikeFox, parseHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  if (proto !== 6 || !looksLikeFox(buf, off, len)) return PROBE_NO;
  const end = off + Math.min(len, 128);
  let lf = off;
  while (lf < end && buf[lf] !== 0x0a) lf++;
  if (lf === end) return port === FOX_PORT ? PROBE_MAYBE : PROBE_NO;
  const stop = lf > off && buf[lf - 1] === 0x0d ? lf - 1 : lf;
  const line = Buffer.from(buf.buffer, buf.byteOffset + off, stop - off).toString('latin1');
  return parseHeader(line) !== null ? PROBE_YES : PROBE_NO;
}
