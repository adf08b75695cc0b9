// BitTorrent on any port. TCP: the peer-wire handshake's first bytes. UDP: an LSD announcement,
// a DHT message (a bencoded dictionary with "t" and "y"), a UDP tracker connect request or a uTP
// DATA packet carrying the handshake are certain; a uTP DATA packet that begins like a peer-wire
// message is likely; a bare SYN, STATE, FIN or RESET header only maybe (paired with the other
// direction's, the analyzer then checks the SYN's connection id and sequence number come back).
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { isPstr, isPstrPrefix, looksLikePeerWire, parseKrpc, parseLsd, parseTrackerRequest, parseUtp } from './parse.js';

export const FIRST_BYTES = [0x13, 0x42, 0x64, 0x00, 0x01, 0x11, 0x21, 0x31, 0x41];

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (len === 0) return PROBE_NO;
  if (proto === 6) {
    if (len < 20) return isPstrPrefix(buf, off, len) ? PROBE_MAYBE : PROBE_NO;
    return isPstr(buf, off, len) ? PROBE_CERTAIN : PROBE_NO;
  }
  const first = buf[off];
  if (first === 0x42) return parseLsd(buf, off, len) !== null ? PROBE_CERTAIN : PROBE_NO;
  if (first === 0x64) return parseKrpc(buf, off, len) !== null ? PROBE_CERTAIN : PROBE_NO;
  if (first === 0x00) return parseTrackerRequest(buf, off, len)?.action === 'connect' ? PROBE_CERTAIN : PROBE_NO;
  const u = parseUtp(buf, off, len);
  if (u === null) return PROBE_NO;
  if (u.type !== 0) return PROBE_MAYBE;
  const plen = off + len - u.payload;
  if (plen >= 20 && isPstr(buf, u.payload, plen)) return PROBE_CERTAIN;
  return looksLikePeerWire(buf, u.payload, plen) ? PROBE_YES : PROBE_NO;
}
