// Cheap recognition of SNMP on any UDP port: a BER SEQUENCE holding version 0, 1 or 3 as a
// one-byte INTEGER, followed by the community OCTET STRING (v1/v2c) or the msgGlobalData
// SEQUENCE (v3), with the outer length matching the datagram.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE, VERSION_1, VERSION_2C, VERSION_3 } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len < 8 || buf[off] !== TAG_SEQUENCE) return PROBE_NO;
  let l = buf[off + 1];
  let p = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 2 || len < 2 + n + 5) return PROBE_NO;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + buf[p + i];
    p += n;
  }
  if (p + 4 > off + len || buf[p] !== TAG_INTEGER || buf[p + 1] !== 1) return PROBE_NO;
  const v = buf[p + 2];
  const next = buf[p + 3];
  const shaped = ((v === VERSION_1 || v === VERSION_2C) && next === TAG_OCTET_STRING) || (v === VERSION_3 && next === TAG_SEQUENCE);
  if (!shaped) return PROBE_NO;
  // A wrong outer length is still SNMP-shaped: good enough on the SNMP ports only.
  return p - off + l === len ? PROBE_YES : PROBE_MAYBE;
}
