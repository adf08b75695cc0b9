// Recognises POP3 on any port: the server's "+OK" greeting (RFC 1939 §4) or a client's first
// CAPA/USER/AUTH/APOP/STLS. "+OK" alone is shared with nothing else common, but a greeting
// that names POP is certain.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const PEEK = 256;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const n = Math.min(len, PEEK);
  if (n < 3) return PROBE_NO;
  // Byte checks first: this probe runs on every undecided flow, and text is made only for a hit.
  const b0 = buf[off] | 0x20;
  if (isOrig ? b0 !== 0x63 && b0 !== 0x61 && b0 !== 0x73 : buf[off] !== 0x2b) return PROBE_NO;
  const s = Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
  if (!isOrig) {
    if (!/^\+OK/i.test(s)) return PROBE_NO;
    return /POP|\bready\b|dovecot|<[^>]+@[^>]+>/i.test(s.split('\n')[0]) ? PROBE_YES : PROBE_MAYBE;
  }
  return /^(CAPA|APOP [^\s]+ [0-9a-f]{32}|STLS)\r?\n/i.test(s) ? PROBE_MAYBE : PROBE_NO;
}
