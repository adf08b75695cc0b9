// Cheap recognition of SSH on any port: either side's first bytes are "SSH-" (RFC 4253 §4.2; the
// server may precede its identification with other lines, which the port then vouches for).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const PREFIX = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"

export function probe(buf: Uint8Array, off: number, len: number): number {
  const n = Math.min(len, PREFIX.length);
  for (let i = 0; i < n; i++) if (buf[off + i] !== PREFIX[i]) return PROBE_NO;
  return len >= PREFIX.length ? PROBE_YES : PROBE_MAYBE;
}
