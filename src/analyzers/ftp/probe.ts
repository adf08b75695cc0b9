// Recognises an FTP control connection on any port (RFC 959 §4.2, §5.4): the server's 220
// greeting naming FTP is certain; a bare 220 greeting or a known command is only "maybe" (SMTP
// greets with 220 too, POP3 clients send USER), which starts the analyzer on FTP ports only.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { KNOWN_COMMANDS } from './parse.js';

/** Bytes of the first line looked at. */
const PEEK = 256;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const n = Math.min(len, PEEK);
  if (n < 3) return PROBE_NO;
  // Byte checks first: this probe runs on every undecided flow, and text is made only for a hit.
  if (isOrig ? !isLetter(buf[off]) : buf[off] !== 0x32 || buf[off + 1] !== 0x32 || buf[off + 2] !== 0x30) return PROBE_NO;
  const s = Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
  if (!isOrig) {
    if (!/^220[ -]/.test(s)) return PROBE_NO;
    const first = s.split('\n')[0];
    if (/SMTP|\bmail\b/i.test(first)) return PROBE_NO;
    return /FTP/i.test(first) ? PROBE_YES : PROBE_MAYBE;
  }
  const m = /^([A-Za-z]{3,4})(?:[ \r\n]|$)/.exec(s);
  return m !== null && KNOWN_COMMANDS.has(m[1].toUpperCase()) ? PROBE_MAYBE : PROBE_NO;
}

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}
