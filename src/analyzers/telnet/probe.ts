// Recognises Telnet on any port: option negotiation (IAC WILL/WONT/DO/DONT or IAC SB, RFC 854)
// in the first bytes of either direction. Text alone is only Telnet on its port.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { DONT, IAC, SB, WILL } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 1) return PROBE_NO;
  if (buf[off] === IAC) {
    if (len < 3) return PROBE_MAYBE;
    const v = buf[off + 1];
    return (v >= WILL && v <= DONT) || v === SB ? PROBE_YES : PROBE_NO;
  }
  // Some devices greet without negotiating: printable text, on port 23 only.
  const c = buf[off];
  return c === 0x0d || c === 0x0a || (c >= 0x20 && c < 0x7f) ? PROBE_MAYBE : PROBE_NO;
}
