// Recognition of ONC RPC on any port: a call header (message type 0, RPC version 2, a known
// program, credential and verifier lengths that fit) at the start of a datagram, or after a
// record mark on a stream. Those twelve fixed bytes do not happen by chance: CERTAIN. A reply
// alone (only the server's side was captured) is plausible on the portmapper and NFS ports.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { MSG_REPLY, NFS_PORT, PORTMAP_PORT, PROGRAMS, RPC_VERSION, parseCall, u32 } from './parse.js';

const PROTO_TCP = 6;
const RECORD_MARK = 4;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port = 0): number {
  let o = off;
  let n = len;
  if (proto === PROTO_TCP) {
    if (len < RECORD_MARK + 12) return len < RECORD_MARK + 12 && len > 0 && (buf[off] & 0x7f) === 0 ? PROBE_MAYBE : PROBE_NO;
    const frag = u32(buf, off) & 0x7fffffff;
    if (frag < 12 || frag > 16 << 20) return PROBE_NO;
    o += RECORD_MARK;
    n = Math.min(len - RECORD_MARK, frag);
  }
  if (n < 12) return PROBE_NO;
  const type = u32(buf, o + 4);
  if (type === 0 && u32(buf, o + 8) === RPC_VERSION) {
    if (n < 24 || PROGRAMS[u32(buf, o + 12)] === undefined) return PROBE_NO;
    return parseCall(buf, o, n) !== null ? PROBE_CERTAIN : n < 40 ? PROBE_MAYBE : PROBE_NO;
  }
  if (type === MSG_REPLY && (port === PORTMAP_PORT || port === NFS_PORT) && u32(buf, o + 8) <= 1) return PROBE_MAYBE;
  return PROBE_NO;
}
