// Recognition of RTP and RTCP on a flow no other analyzer wanted (the spec is a fallback): an RTP
// header with a payload type some profile assigns, or a compound RTCP datagram whose packet
// lengths tile it exactly. Media runs between unprivileged ports (RFC 3550 §11 leaves them to
// the signalling), so flows from or to ports below 1024 are not media. The analyzer decides
// over the next packets whether an RTP header was more than a coincidence.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { knownPayloadType, looksRtcp, parseRtcp, readRtp, type RtpHeader } from './parse.js';

const PROTO_UDP = 17;
const MIN_MEDIA_PORT = 1024;
const hdr: RtpHeader = { payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadLen: 0 };

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port = 0): number {
  if (proto !== PROTO_UDP || port < MIN_MEDIA_PORT) return PROBE_NO;
  if (looksRtcp(buf, off, len)) return parseRtcp(buf, off, len) !== null ? PROBE_YES : PROBE_NO;
  return readRtp(buf, off, len, hdr) && knownPayloadType(hdr.payloadType) ? PROBE_YES : PROBE_NO;
}
