// Cheap recognition of OpenVPN on any port: a client's hard reset (key id 0) whose layout fits
// plain TLS mode or tls-auth with one of the usual digests is a "yes"; a tls-crypt reset (only
// a packet id and a time in clear) and a server's reset are "maybe"s, enough on port 1194 or
// when the other side's first packet is one too (the spec's pairedMaybe). Over TCP the packet
// is preceded by its length, which must fit.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { isClientReset, isServerReset, opcode, wrapOf } from './parse.js';

const PROTO_TCP = 6;
/** A hard reset fits one datagram (tls-crypt-v2's, with its wrapped client key, included). */
const MAX_RESET = 1535;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  let o = off;
  let l = len;
  if (proto === PROTO_TCP) {
    if (len < 2) return len === 1 && buf[off] <= MAX_RESET >> 8 ? PROBE_MAYBE : PROBE_NO;
    const plen = (buf[off] << 8) | buf[off + 1];
    if (plen < 14 || plen > MAX_RESET) return PROBE_NO;
    o = off + 2;
    l = Math.min(len - 2, plen);
    if (l < plen && l < 64) return l === 0 || isReset(buf[o], isOrig) ? PROBE_MAYBE : PROBE_NO;
  }
  if (l < 1) return PROBE_NO;
  if (!isReset(buf[o], isOrig)) return PROBE_NO;
  const w = wrapOf(buf, o, l);
  if (w === null) return PROBE_NO;
  return isOrig && (w.mode === 'tls' || w.mode === 'tls-auth') ? PROBE_YES : PROBE_MAYBE;
}

/** A hard reset of this side with key id 0 (every session starts with one). */
function isReset(b: number, isOrig: boolean): boolean {
  if ((b & 7) !== 0) return false;
  const op = opcode(b);
  return isOrig ? isClientReset(op) : isServerReset(op);
}
