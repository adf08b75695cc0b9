// Cheap recognition of CAPWAP control on any UDP port: a CAPWAP header followed by a control
// header of a known message type whose elements fill the datagram; a DTLS datagram behind
// CAPWAP's DTLS preamble only on 5246.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MESSAGE_TYPES, isDtlsDatagram, parseCapwapHeader, parseControlHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  void isOrig;
  if (proto !== 17) return PROBE_NO;
  // A maybe, which only CAPWAP's port (either end's) turns into a start.
  if (isDtlsDatagram(buf, off, len)) return PROBE_MAYBE;
  const h = parseCapwapHeader(buf, off, len);
  if (h === null || h.native) return PROBE_NO;
  const c = parseControlHeader(buf, h.body, off + len);
  if (c === null || c.enterprise !== 0 || c.type === 0 || c.type >= MESSAGE_TYPES.length) return PROBE_NO;
  // The stated length must be the datagram's: the Flags byte and the elements (RFC 5415 §4.5.1),
  // or that and the length field itself (Cisco's controllers and access points count it too).
  const stated = (buf[h.body + 5] << 8) | buf[h.body + 6];
  const rest = off + len - c.elements;
  return stated === rest + 1 || stated === rest + 3 ? PROBE_YES : PROBE_NO;
}
