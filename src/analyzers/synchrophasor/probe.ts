// Cheap recognition of C37.118: SYNC 0xAA with a known frame type and version and a sane
// FRAMESIZE; a whole frame whose CRC-CCITT checks is certain on any port, the header alone a
// yes on 4712/4713 (TCP may deliver the frame in pieces).
import { PROBE_CERTAIN, PROBE_NO, PROBE_YES } from '../types.js';
import { PMU_TCP_PORT, PMU_UDP_PORT, checksumOk, parseHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  const h = parseHeader(buf, off, len);
  if (h === null) return PROBE_NO;
  if (len >= h.size && checksumOk(buf, off, h.size)) return PROBE_CERTAIN;
  if (proto === 17) return PROBE_NO;
  return port === PMU_TCP_PORT || port === PMU_UDP_PORT ? PROBE_YES : PROBE_NO;
}
