// Cheap recognition of IKE on any port: an ISAKMP header (version 1.0 or 2.0, a known exchange
// type, a non-zero initiator SPI) whose length field is the datagram's — after the non-ESP marker
// (four zero bytes) that precedes IKE on UDP 4500. The initiator's first message (responder SPI
// still zero) is a "yes"; anything else a "maybe", enough on 500 and 4500.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN, NON_ESP_MARKER_LEN, headerFits } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  let o = off;
  let l = len;
  if (len >= NON_ESP_MARKER_LEN + HEADER_LEN && buf[off] === 0 && buf[off + 1] === 0 && buf[off + 2] === 0 && buf[off + 3] === 0) {
    o += NON_ESP_MARKER_LEN;
    l -= NON_ESP_MARKER_LEN;
  }
  if (!headerFits(buf, o, l)) return PROBE_NO;
  let rzero = true;
  for (let i = 8; i < 16; i++) if (buf[o + i] !== 0) rzero = false;
  return isOrig && rzero ? PROBE_YES : PROBE_MAYBE;
}
