// Recognises RTSP on any port from the first bytes of a direction: a method of RFC 2326 §10 /
// RFC 7826 §13 followed by an rtsp URI or a request line ending in "RTSP/d.d" (§6.1) from the
// client, or a status line "RTSP/d.d " (§7.1) from the server when the capture starts
// mid-conversation. OPTIONS is also an HTTP and SIP method, so the URI scheme or the version
// has to be seen before the answer is yes.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { METHODS } from './parse.js';

const STARTS = METHODS.map((m) => Buffer.from(m + ' ', 'latin1'));
const STATUS = Buffer.from('RTSP/', 'latin1');
/** "RTSP/" + "d.d" + SP */
const STATUS_LEN = 9;
const SCHEME = Buffer.from('rtsp', 'latin1');
/** Bytes searched for the end of the request line. */
const PEEK_LINE = 2048;
const LF = 0x0a;
const CASE_BIT = 0x20;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** How far `buf[off..]` agrees with `want`: -1 on a difference, else the bytes compared. */
function agree(buf: Uint8Array, off: number, len: number, want: Uint8Array, fold: boolean): number {
  const n = Math.min(len, want.length);
  for (let i = 0; i < n; i++) {
    const b = fold ? buf[off + i] | CASE_BIT : buf[off + i];
    if (b !== want[i]) return -1;
  }
  return n;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len <= 0) return PROBE_NO;
  if (!isOrig) {
    const n = agree(buf, off, len, STATUS, false);
    if (n < 0) return PROBE_NO;
    if (len < STATUS_LEN) return PROBE_MAYBE;
    const v = off + STATUS.length;
    return isDigit(buf[v]) && buf[v + 1] === 0x2e && isDigit(buf[v + 2]) && buf[v + 3] === 0x20 ? PROBE_YES : PROBE_NO;
  }
  let start: Uint8Array | null = null;
  for (const s of STARTS) {
    const n = agree(buf, off, len, s, false);
    if (n < 0) continue;
    if (n < s.length) return PROBE_MAYBE;
    start = s;
    break;
  }
  if (start === null) return PROBE_NO;
  const u = agree(buf, off + start.length, len - start.length, SCHEME, true);
  if (u === SCHEME.length) return PROBE_YES;
  // Not an rtsp URI ("*", a relative one): the version at the end of the line decides.
  const n = Math.min(len, PEEK_LINE);
  for (let i = off; i < off + n; i++) {
    if (buf[i] === LF) {
      const line = Buffer.from(buf.buffer, buf.byteOffset + off, i - off).toString('latin1');
      return / RTSP\/\d\.\d\r?$/.test(line) ? PROBE_YES : PROBE_NO;
    }
  }
  // No line end within PEEK_LINE bytes: not a request line.
  return len >= PEEK_LINE ? PROBE_NO : PROBE_MAYBE;
}
