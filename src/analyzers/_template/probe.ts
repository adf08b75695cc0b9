// Cheap recognition of the template protocol on any port: the first bytes of a client's stream.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const HELLO = [0x48, 0x45, 0x4c, 0x4c, 0x4f, 0x20]; // "HELLO "

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig) return PROBE_NO;
  const n = Math.min(len, HELLO.length);
  for (let i = 0; i < n; i++) if (buf[off + i] !== HELLO[i]) return PROBE_NO;
  return len >= HELLO.length ? PROBE_YES : PROBE_MAYBE;
}
