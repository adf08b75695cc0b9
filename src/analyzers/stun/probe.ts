// Cheap recognition of STUN on any port: the header's two zero bits, a length that fits, and
// the magic cookie 0x2112A442 (RFC 8489 §5), with a known method; over UDP the message fills
// the datagram, over TCP it starts the stream (TURN over TCP, RFC 8656 §3.1).
import { PROBE_NO, PROBE_YES } from '../types.js';
import { METHODS, STUN_PORT, parseMessage } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port = 0): number {
  if ((proto !== 17 && proto !== 6) || len === 0 || (buf[off] & 0xc0) !== 0) return PROBE_NO;
  // RFC 3489's cookie-less messages only on STUN's port (3478): elsewhere the cookie is the signature.
  const m = parseMessage(buf, off, len, proto === 17 && port === STUN_PORT);
  return m !== null && METHODS[m.method] !== undefined && (m.total === len || proto === 6) ? PROBE_YES : PROBE_NO;
}
