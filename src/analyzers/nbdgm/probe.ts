// Cheap recognition of the NetBIOS datagram service (RFC 1002 §4.4.1): a message type of
// 0x10–0x16 and, for data datagrams, a source name that starts with the 32-byte label length.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { DGM_BROADCAST, DGM_DIRECT_UNIQUE, DGM_NEGATIVE_RESPONSE } from './parse.js';

const ENCODED_NAME_LEN = 0x20;
const SOURCE_NAME_OFF = 14;
const DGM_HEADER_LEN = 10;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len < DGM_HEADER_LEN) return PROBE_NO;
  const t = buf[off];
  if (t < DGM_DIRECT_UNIQUE || t > DGM_NEGATIVE_RESPONSE) return PROBE_NO;
  if (t > DGM_BROADCAST) return PROBE_MAYBE;
  if (len <= SOURCE_NAME_OFF + ENCODED_NAME_LEN || buf[off + SOURCE_NAME_OFF] !== ENCODED_NAME_LEN) return PROBE_NO;
  // The encoded name is 32 letters A–P (RFC 1001 §14.1).
  for (let i = 1; i <= ENCODED_NAME_LEN; i++) {
    const c = buf[off + SOURCE_NAME_OFF + i];
    if (c < 0x41 || c > 0x50) return PROBE_NO;
  }
  return PROBE_YES;
}
