// Cheap recognition of Kerberos on any port: a message's [APPLICATION n] tag, its SEQUENCE, and
// the pvno 5 field that opens every message (RFC 4120 §5.10) — after a 4-octet record mark on TCP.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { isKrbTag, krbRecordLength, KRB_AS_REQ, KRB_TGS_REQ } from './parse.js';

const PROTO_UDP = 17;
const SEQUENCE = 0x30;
/** [n] INTEGER 5, with n = 1 in KDC requests and 0 elsewhere: A1/A0 03 02 01 05. */
const PVNO_TAIL = [0x03, 0x02, 0x01, 0x05];

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  let p = off;
  let end = off + len;
  if (proto !== PROTO_UDP) {
    const n = krbRecordLength(buf, off, len);
    if (n <= 0) return n === 0 && len < 4 && (len === 0 || buf[off] === 0) ? PROBE_MAYBE : PROBE_NO;
    p += 4;
    end = Math.min(end, off + n);
  }
  if (p >= end || !isKrbTag(buf[p])) return PROBE_NO;
  const tag = buf[p] & 0x1f;
  // Skip the application tag's and the SEQUENCE's length octets.
  p = skipHeader(buf, p, end);
  if (p < 0) return PROBE_MAYBE;
  if (buf[p] !== SEQUENCE) return PROBE_NO;
  p = skipHeader(buf, p, end);
  if (p < 0) return PROBE_MAYBE;
  if (p + 5 > end) return PROBE_MAYBE;
  const request = tag === KRB_AS_REQ || tag === KRB_TGS_REQ;
  if (buf[p] !== (request ? 0xa1 : 0xa0)) return PROBE_NO;
  for (let i = 0; i < PVNO_TAIL.length; i++) if (buf[p + 1 + i] !== PVNO_TAIL[i]) return PROBE_NO;
  // Requests come from the originator; a capture may still begin with a reply.
  return request === isOrig || !request ? PROBE_YES : PROBE_MAYBE;
}

/** Offset after a DER header (identifier + length octets) at `p`; -1 if it runs past `end`. */
function skipHeader(buf: Uint8Array, p: number, end: number): number {
  if (p + 2 > end) return -1;
  const l = buf[p + 1];
  const n = l & 0x80 ? l & 0x7f : 0;
  if (n > 4) return -1;
  const q = p + 2 + n;
  return q < end ? q : -1;
}
