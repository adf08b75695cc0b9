// Cheap recognition of a Checkmk agent: only the agent (the responder) speaks, and its output
// starts "<<<check_mk>>>" — a yes on any port once the whole header is there, a maybe on 6556
// while it is not. On 6556 an answer of two ASCII digits (the agent controller's "16" before TLS,
// or an encrypted legacy agent's protocol version) is a maybe: too little to claim a flow
// elsewhere.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CHECKMK_HEADER, CHECKMK_PORT, headerPrefix, isDigit } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 6 || isOrig || len < 1) return PROBE_NO;
  if (headerPrefix(buf, off, len)) return len >= CHECKMK_HEADER.length ? PROBE_YES : port === CHECKMK_PORT ? PROBE_MAYBE : PROBE_NO;
  if (port !== CHECKMK_PORT || !isDigit(buf[off]) || (len >= 2 && !isDigit(buf[off + 1]))) return PROBE_NO;
  return PROBE_MAYBE;
}
