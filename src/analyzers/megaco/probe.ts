// Cheap recognition of Megaco's text encoding on any UDP port: "MEGACO/" or "!/", a version
// digit and white space open every message (H.248.1 Annex B).
import { PROBE_NO, PROBE_YES } from '../types.js';
import { isMegacoText } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  return proto === 17 && isMegacoText(buf, off, len) ? PROBE_YES : PROBE_NO;
}
