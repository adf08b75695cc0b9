// Cheap recognition of RDP's UDP transport on any port: the client's SYN datagram (snSourceAck
// -1, the SYN flag, MTUs in 1132–1232, padded to at least the smallest MTU). Zeek's dpd
// signature for rdpeudp asks the same of the first datagram.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { MIN_MTU, SOURCE_ACK_NONE, parseSyn } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (proto !== 17 || !isOrig || len < MIN_MTU || buf[off] !== 0xff) return PROBE_NO;
  return parseSyn(buf, off, len)?.sourceAck === SOURCE_ACK_NONE ? PROBE_YES : PROBE_NO;
}
