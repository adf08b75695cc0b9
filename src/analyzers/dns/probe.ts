// Cheap recognition of DNS on any port (RFC 1035 §4.1.1): a header whose counts are plausible
// for the direction and whose first question name is well formed. The 2-byte TCP length prefix
// (RFC 1035 §4.2.2) must agree with the segment. Only a message with a readable question
// counts as certain; anything else is at most "maybe" (decided on DNS's own ports).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { DNS_HEADER_LEN, MAX_QUESTIONS, readName } from './parse.js';

const TCP_LEN_PREFIX = 2;
const MAX_PLAUSIBLE_RRS = 256;
const QUESTION_FIXED = 4;
const RR_FIXED = 10;
/** Opcodes in use: query, inverse query, status, notify, update, and NetBIOS's 5–8. */
const MAX_OPCODE = 8;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  let o = off;
  let l = len;
  if (proto === 6) {
    if (l < TCP_LEN_PREFIX + DNS_HEADER_LEN) return PROBE_NO;
    const n = (buf[o] << 8) | buf[o + 1];
    if (n < DNS_HEADER_LEN) return PROBE_NO;
    o += TCP_LEN_PREFIX;
    l = Math.min(l - TCP_LEN_PREFIX, n);
  }
  if (l < DNS_HEADER_LEN) return PROBE_NO;
  const flags = (buf[o + 2] << 8) | buf[o + 3];
  const qr = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const qd = (buf[o + 4] << 8) | buf[o + 5];
  const an = (buf[o + 6] << 8) | buf[o + 7];
  const ns = (buf[o + 8] << 8) | buf[o + 9];
  const ar = (buf[o + 10] << 8) | buf[o + 11];
  if (opcode > MAX_OPCODE || qd > MAX_QUESTIONS || an + ns + ar > MAX_PLAUSIBLE_RRS) return PROBE_NO;
  if (!qr && an > MAX_QUESTIONS) return PROBE_NO;
  if (qd + an + ns + ar === 0) return PROBE_NO;
  // The first question, or for an answer-only message (mDNS announcements, NBNS responses)
  // the first resource record: a well-formed name followed by a known class.
  const name = readName(buf, o, o + l, o + DNS_HEADER_LEN);
  const fixed = qd > 0 ? QUESTION_FIXED : RR_FIXED;
  if (name === null || name.next + fixed > o + l) return PROBE_NO;
  if (!knownClass(((buf[name.next + 2] << 8) | buf[name.next + 3]) & 0x7fff)) return PROBE_NO;
  if (qd === 0) {
    const rdlen = (buf[name.next + 8] << 8) | buf[name.next + 9];
    if (name.next + RR_FIXED + rdlen > o + l) return PROBE_NO;
  }
  return name.text.length > 0 ? PROBE_YES : PROBE_MAYBE;
}

/** IN, CHAOS, HESIOD, NONE, ANY (the top bit is mDNS's unicast-response / cache-flush flag). */
function knownClass(c: number): boolean {
  return c === 1 || c === 3 || c === 4 || c === 254 || c === 255;
}
