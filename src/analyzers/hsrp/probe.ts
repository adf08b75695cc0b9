// Recognition of HSRP on its ports: a version 1 message's fixed layout (version 0, a known opcode
// and state, 20 bytes), or a version 2 Group State TLV (type 1, length 40, version 2). Routers
// send HSRP only to its multicast groups and ports, and a 20-byte datagram starting with zeros is
// too common to be taken for it elsewhere, so other ports are not probed.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { HSRP_V1_PORT, HSRP_V2_PORT, STATES } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port: number): number {
  if (proto !== 17 || len < 20 || (port !== HSRP_V1_PORT && port !== HSRP_V2_PORT)) return PROBE_NO;
  if (buf[off] === 0 && buf[off + 1] <= 3 && STATES[buf[off + 2]] !== undefined && len === 20) return PROBE_YES;
  if (buf[off] === 1 && buf[off + 1] === 40 && len >= 42 && buf[off + 2] === 2 && buf[off + 3] <= 3 && STATES[buf[off + 4]] !== undefined) return PROBE_YES;
  return PROBE_NO;
}
