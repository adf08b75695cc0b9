// Cheap recognition of EtherNet/IP encapsulation on any port: a known command whose length
// field accounts exactly for the bytes after the 24-octet header, and zero options.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { COMMANDS } from './names.js';
import { ENCAP_HEADER } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 4) return PROBE_NO;
  const cmd = buf[off] | (buf[off + 1] << 8);
  if (COMMANDS[cmd] === undefined) return PROBE_NO;
  const n = buf[off + 2] | (buf[off + 3] << 8);
  if (len < ENCAP_HEADER) return PROBE_MAYBE;
  const options = buf[off + 20] | buf[off + 21] | buf[off + 22] | buf[off + 23];
  if (options !== 0) return PROBE_NO;
  // Command 0 (NOP) with zeros is too common a pattern to claim off-port.
  if (cmd === 0) return PROBE_MAYBE;
  return ENCAP_HEADER + n === len ? PROBE_YES : PROBE_MAYBE;
}
