// Cheap recognition of IKE on any port: an ISAKMP header (version 1.0 or 2.0, a known exchange
// type, a non-zero initiator SPI) whose length field is the datagram's — after the non-ESP marker
// (four zero bytes) that precedes IKE on UDP 4500. The initiator's first message (responder SPI
// still zero) is a "yes"; anything else a "maybe", enough on 500 and 4500.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN, NON_ESP_MARKER_LEN, allZero, headerFits, markerLen } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const skip = len >= NON_ESP_MARKER_LEN + HEADER_LEN ? markerLen(buf, off, len) : 0;
  const o = off + skip;
  if (!headerFits(buf, o, len - skip)) return PROBE_NO;
  return isOrig && allZero(buf, o + 8, 8) ? PROBE_YES : PROBE_MAYBE;
}
