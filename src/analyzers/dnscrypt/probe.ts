// Cheap recognition of DNSCrypt on any port: a responder's message that starts with the resolver
// magic (after the 2-byte length over TCP) is certain — 64 fixed bits no other protocol sends
// first. The client's query is random bytes and is never enough on its own; the flow is
// recognised by the resolver's first answer.
import { PROBE_CERTAIN, PROBE_NO } from '../types.js';
import { u16 } from '../dns/text.js';
import { RESPONSE_MIN, isResponse } from './parse.js';

/** Over TCP a response is taken only under 4 KiB (first byte 0x00–0x0f, index.ts's firstBytes), as DNS answers are. */
const TCP_PROBE_MAX = 0x0fff;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (isOrig) return PROBE_NO;
  if (proto === 17) return isResponse(buf, off, len) ? PROBE_CERTAIN : PROBE_NO;
  if (len < 2 + RESPONSE_MIN) return PROBE_NO;
  const n = u16(buf, off);
  return n >= RESPONSE_MIN && n <= TCP_PROBE_MAX && isResponse(buf, off + 2, len - 2) ? PROBE_CERTAIN : PROBE_NO;
}
