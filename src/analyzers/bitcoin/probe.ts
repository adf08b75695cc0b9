// Bitcoin P2P on any port: a known network magic followed by a well-formed command name.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { commandAt, networkOf } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 4) return len > 0 && [0xf9, 0x0b, 0x1c, 0xfa, 0x0a].includes(buf[off]) ? PROBE_MAYBE : PROBE_NO;
  if (networkOf(buf, off) === null) return PROBE_NO;
  if (len < 16) return PROBE_MAYBE;
  // Four magic bytes and a NUL-padded lower-case command: no coincidence.
  return commandAt(buf, off) !== null ? PROBE_CERTAIN : PROBE_NO;
}
