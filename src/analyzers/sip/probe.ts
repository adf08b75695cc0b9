// Cheap recognition of SIP on any port (RFC 3261 §7.1, §7.2): the first line is a request line
// "METHOD sip:… SIP/2.0" or a status line "SIP/2.0 NNN …". HTTP on port 5060 ("GET / HTTP/1.1")
// is not SIP: the Request-URI must be absolute and the version SIP/2.0.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MAX_KEEPALIVE, MAX_METHOD, isTokenChar, parseStartLine, skipKeepAlive } from './parse.js';

/** A start line longer than this is not looked at by the probe. */
const MAX_PROBE_LINE = 2048;
const STATUS_PREFIX = 'SIP/2.0 ';
const LF = 0x0a;
const PROTO_UDP = 17;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig = true, proto = PROTO_UDP): number {
  const k = skipKeepAlive(buf, off, len);
  const o = off + k;
  const n = Math.min(len - k, MAX_PROBE_LINE);
  // UDP keep-alives before the first message (CRLF, RFC 5626 §4.4.1; Huawei's "hello"): worth
  // waiting past on the SIP port, never enough on another.
  if (proto === PROTO_UDP && len > 0 && n <= MAX_KEEPALIVE) return PROBE_MAYBE;
  if (n <= 0) return PROBE_NO;
  // This runs on the first payload of every flow no port settled: reject what cannot start a
  // start line before looking for its end (binary protocols fail at the first octets, HTTP at
  // its origin-form "/…" target).
  if (!mayStartLine(buf, o, n)) return PROBE_NO;
  let lf = -1;
  for (let i = 0; i < n; i++) {
    if (buf[o + i] === LF) {
      lf = i;
      break;
    }
  }
  if (lf < 0) {
    // A beginning too short to tell: only a status-line prefix is worth waiting for (a stream
    // is probed again as more bytes arrive).
    if (n >= STATUS_PREFIX.length) return PROBE_NO;
    for (let i = 0; i < n; i++) if (buf[o + i] !== STATUS_PREFIX.charCodeAt(i)) return PROBE_NO;
    return PROBE_MAYBE;
  }
  const end = lf > 0 && buf[o + lf - 1] === 0x0d ? lf - 1 : lf;
  const line = Buffer.from(buf.buffer, buf.byteOffset + o, end).toString('latin1');
  return parseStartLine(line) !== null ? PROBE_YES : PROBE_NO;
}

/** "SIP/2.0 …", or a token method, one space, and an absolute URI's first letter. */
function mayStartLine(buf: Uint8Array, o: number, n: number): boolean {
  if (buf[o] === 0x53 /* S */ && n >= 3 && buf[o + 1] === 0x49 && buf[o + 2] === 0x50) return true;
  const lim = Math.min(n, MAX_METHOD + 1);
  for (let i = 0; i < lim; i++) {
    const c = buf[o + i];
    if (c === 0x20) {
      if (i === 0) return false;
      if (i + 1 >= n) return true;
      const u = buf[o + i + 1] | 0x20;
      return u >= 0x61 && u <= 0x7a;
    }
    if (!isTokenChar(c)) return false;
  }
  // No space yet: a method still arriving, or too long to be one.
  return n <= MAX_METHOD;
}
