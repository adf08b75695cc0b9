// Cheap recognition of RDP's UDP transport on any port: the client's SYN datagram (snSourceAck
// -1, the SYN flag, MTUs in 1132–1232, padded to at least the smallest MTU). Zeek's dpd
// signature for rdpeudp asks the same of the first datagram.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { MIN_MTU, parseSyn } from './parse.js';

export const SOURCE_ACK_NONE = 0xff;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (proto !== 17 || !isOrig || len < MIN_MTU) return PROBE_NO;
  if (buf[off] !== SOURCE_ACK_NONE || buf[off + 1] !== SOURCE_ACK_NONE || buf[off + 2] !== SOURCE_ACK_NONE || buf[off + 3] !== SOURCE_ACK_NONE) return PROBE_NO;
  return parseSyn(buf, off, len) === null ? PROBE_NO : PROBE_YES;
}
