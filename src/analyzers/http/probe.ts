// Recognises HTTP/1.x on any port from the first bytes of a direction: a known method followed
// by a space from the client (RFC 9112 §3), or "HTTP/1." from the server when the capture
// starts mid-conversation.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { METHODS } from './parse.js';

const STARTS = METHODS.map((m) => Buffer.from(m + ' ', 'latin1'));
const STATUS = Buffer.from('HTTP/1.', 'latin1');
/** Bytes searched for the end of the request line. */
const PEEK_LINE = 4096;
const LF = 0x0a;

/** YES when `want` is fully present, MAYBE when the bytes seen are a prefix of it. */
function prefix(buf: Uint8Array, off: number, len: number, want: Uint8Array): number {
  const n = Math.min(len, want.length);
  for (let i = 0; i < n; i++) if (buf[off + i] !== want[i]) return PROBE_NO;
  return len >= want.length ? PROBE_YES : PROBE_MAYBE;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len <= 0) return PROBE_NO;
  if (!isOrig) return prefix(buf, off, len, STATUS);
  let best = PROBE_NO;
  for (const s of STARTS) {
    const v = prefix(buf, off, len, s);
    if (v > best) best = v;
    if (best === PROBE_YES) break;
  }
  if (best !== PROBE_YES) return best;
  // RTSP and SIP share the request-line shape: when the whole first line is here, its
  // version must be HTTP's (or absent, HTTP/0.9).
  const n = Math.min(len, PEEK_LINE);
  for (let i = off; i < off + n; i++) {
    if (buf[i] === LF) {
      const line = Buffer.from(buf.buffer, buf.byteOffset + off, i - off).toString('latin1');
      return / HTTP\/\d\.\d\r?$/.test(line) || !/ [A-Z]+\/\d\.\d\r?$/.test(line) ? PROBE_YES : PROBE_NO;
    }
  }
  return PROBE_YES;
}
