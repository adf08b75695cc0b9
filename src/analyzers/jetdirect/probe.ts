// Cheap recognition of raw printing. PJL is unmistakable anywhere: a UEL sequence or an "@PJL"
// command line. A bare page description language (PostScript, PDF, PCL, PCL XL, ZPL) is what a
// raw port receives, but its first bytes alone are too common elsewhere to claim another port
// with: it is a yes only on 9100–9102. Printers speak first only to answer, so the back channel
// is recognised by PJL alone.
import { PROBE_NO, PROBE_YES, PROBE_MAYBE } from '../types.js';
import { JETDIRECT_PORTS, isPjl, isUel, skipLead, sniffLanguage } from './parse.js';

const LOOK = 64;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 6 || len < 2) return PROBE_NO;
  const end = off + Math.min(len, LOOK);
  const onPort = (JETDIRECT_PORTS as readonly number[]).includes(port);
  if (!isOrig) {
    if (!isPjl(buf, off, lineEnd(buf, off, end))) return PROBE_NO;
    return onPort ? PROBE_YES : PROBE_MAYBE;
  }
  const p = skipLead(buf, off, end);
  if (isPjl(buf, p, lineEnd(buf, p, end))) return PROBE_YES;
  // A UEL that nothing else follows yet is still PJL's bracket.
  if (p > off && isUel(buf, off + (buf[off] === 0x1b && buf[off + 1] === 0x45 ? 2 : 0), end)) return PROBE_YES;
  if (onPort && sniffLanguage(buf, off, end) !== undefined) return PROBE_YES;
  return PROBE_NO;
}

function lineEnd(buf: Uint8Array, p: number, end: number): number {
  let q = p;
  while (q < end && buf[q] !== 0x0a) q++;
  return q;
}
