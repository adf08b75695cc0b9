// Recognises IMAP on any port: the server greeting "* OK"/"* PREAUTH" (RFC 9051 §7.1.1, §7.1.4)
// naming IMAP is certain, a bare one "maybe"; a client's first "tag CAPABILITY" likewise.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const PEEK = 512;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const n = Math.min(len, PEEK);
  if (n < 4) return PROBE_NO;
  // Byte checks first: this probe runs on every undecided flow, and text is made only for a hit.
  const b0 = buf[off];
  if (isOrig ? !isTagChar(b0) : b0 !== 0x2a || buf[off + 1] !== 0x20) return PROBE_NO;
  const s = Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
  if (isOrig) return /^[A-Za-z0-9.]{1,16} (CAPABILITY|STARTTLS|LOGIN|AUTHENTICATE)\b/i.test(s) ? PROBE_MAYBE : PROBE_NO;
  if (!/^\* (OK|PREAUTH)\b/i.test(s)) return PROBE_NO;
  return /IMAP/i.test(s.split('\n')[0]) ? PROBE_YES : PROBE_MAYBE;
}

function isTagChar(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e;
}
