// Cheap recognition of BACnet/IP on any UDP port: BVLL type 0x81, a known BVLC function, a BVLC
// length equal to the datagram, and for NPDU-carrying functions an NPDU of version 1.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { BVLC_DISTRIBUTE_BROADCAST, BVLC_FORWARDED_NPDU, BVLC_HEADER, BVLC_ORIGINAL_BROADCAST, BVLC_ORIGINAL_UNICAST, BVLL_TYPE_BACNET_IP, NPDU_VERSION } from './parse.js';
import { BVLC_FUNCTIONS } from './names.js';

const FORWARDED_ADDRESS = 6;

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < BVLC_HEADER || buf[off] !== BVLL_TYPE_BACNET_IP) return PROBE_NO;
  const func = buf[off + 1];
  if (BVLC_FUNCTIONS[func] === undefined) return PROBE_NO;
  const n = (buf[off + 2] << 8) | buf[off + 3];
  if (n !== len) return n >= BVLC_HEADER ? PROBE_MAYBE : PROBE_NO;
  let npdu = -1;
  if (func === BVLC_ORIGINAL_UNICAST || func === BVLC_ORIGINAL_BROADCAST || func === BVLC_DISTRIBUTE_BROADCAST) npdu = off + BVLC_HEADER;
  else if (func === BVLC_FORWARDED_NPDU) npdu = off + BVLC_HEADER + FORWARDED_ADDRESS;
  if (npdu < 0) return PROBE_MAYBE;
  return npdu + 2 <= off + len && buf[npdu] === NPDU_VERSION ? PROBE_YES : PROBE_NO;
}
