// Cheap recognition of C12.22: an [APPLICATION 0] APDU whose first element is one of its
// context-tagged fields (AP titles, invocation ids, mechanism, authentication, user information)
// — a yes on 1153; anywhere else only a whole APDU that parses with an AP title and EPSEM flags.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { C1222_PORT, parseApdu } from './parse.js';

/** Context tags an APDU's elements carry ([1] … [30]) as their first octet. */
const FIRST = new Set([0xa1, 0xa2, 0xa3, 0xa4, 0xa6, 0xa7, 0xa8, 0x8b, 0xac, 0xbe]);

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  void proto;
  if (len < 4 || buf[off] !== 0x60) return PROBE_NO;
  // The element after the length octets.
  const l = buf[off + 1];
  const first = off + 2 + (l & 0x80 ? l & 0x7f : 0);
  if (first >= off + len || !FIRST.has(buf[first])) return PROBE_NO;
  if (port === C1222_PORT) return PROBE_YES;
  const a = parseApdu(buf, off, len);
  return a !== null && (a.calledApTitle !== undefined || a.callingApTitle !== undefined) && a.securityMode !== undefined ? PROBE_YES : PROBE_NO;
}
