// Cheap recognition of RDP's UDP transport on any port: the client's SYN datagram (snSourceAck
// -1, the SYN flag, MTUs in 1132–1232, padded to at least the smallest MTU). Zeek's dpd
// signature for rdpeudp asks the same of the first datagram. A transport joined after its
// handshake is only a "maybe" (its header of an established transport), and only to a flow
// whose responder port is 3389, where a "maybe" starts the analyzer; the analyzer confirms it
// when both sides' datagrams agree. (Off that port the first byte must be a SYN's 0xff.)
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MIN_MTU, RDP_PORT, SOURCE_ACK_NONE, isEstablishedHeader, parseSyn } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 17) return PROBE_NO;
  if (isOrig && len >= MIN_MTU && buf[off] === 0xff && parseSyn(buf, off, len)?.sourceAck === SOURCE_ACK_NONE) return PROBE_YES;
  return port === RDP_PORT && isEstablishedHeader(buf, off, len) ? PROBE_MAYBE : PROBE_NO;
}
