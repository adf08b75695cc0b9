// Recognises SMTP on any port (RFC 5321 §4.2, §4.1.1.1): a 220 greeting that names (E)SMTP,
// or a client's EHLO/HELO. A bare 220 is only "maybe" (FTP greets with 220 too).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const PEEK = 512;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const n = Math.min(len, PEEK);
  if (n < 4) return PROBE_NO;
  // Byte checks first: this probe runs on every undecided flow, and text is made only for a hit.
  const b0 = buf[off] | 0x20;
  if (isOrig ? b0 !== 0x65 && b0 !== 0x68 : buf[off] !== 0x32 || buf[off + 1] !== 0x32 || buf[off + 2] !== 0x30) return PROBE_NO;
  const s = Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
  if (isOrig) return /^(EHLO|HELO) /i.test(s) ? PROBE_YES : PROBE_NO;
  if (!/^220[ -]/.test(s)) return PROBE_NO;
  const first = s.split('\n')[0];
  if (/FTP/i.test(first)) return PROBE_NO;
  return /SMTP|Postfix|Exim|Sendmail|\bmail\b/i.test(first) ? PROBE_YES : PROBE_MAYBE;
}
