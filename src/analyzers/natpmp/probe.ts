// Recognition of NAT-PMP and PCP on their ports (5351, and 5350 for announcements): a version-0
// datagram whose opcode and length fit RFC 6886's fixed layouts, or a version-2 one of PCP's
// sizes (a 24-byte header and more, a multiple of 4, at most 1,100 bytes) with a known opcode.
// Short fixed headers like these are too easily matched by chance elsewhere: other ports are not probed.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { NATPMP_CLIENT_PORT, NATPMP_PORT } from './parse.js';

const NATPMP_SIZES: Readonly<Record<number, readonly number[]>> = { 0: [2], 1: [12], 2: [12], 128: [12], 129: [16], 130: [16] };

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port: number): number {
  if (proto !== 17 || (port !== NATPMP_PORT && port !== NATPMP_CLIENT_PORT) || len < 2) return PROBE_NO;
  if (buf[off] === 0) return NATPMP_SIZES[buf[off + 1]]?.includes(len) === true ? PROBE_YES : PROBE_NO;
  if (buf[off] === 2 && len >= 24 && len <= 1100 && len % 4 === 0 && (buf[off + 1] & 0x7f) <= 2) return PROBE_YES;
  return PROBE_NO;
}
