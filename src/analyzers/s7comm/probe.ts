// Cheap recognition of S7 over ISO-on-TCP on any port. TPKT + COTP is shared with RDP and MMS,
// so off port 102 only S7-specific content is convincing: a connection request with TSAP
// parameters, or a data TPDU whose payload starts with the S7comm (0x32) or S7comm-plus (0x72) id.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { COTP_CR, COTP_DT, S7PLUS_PROTOCOL_ID, S7_PROTOCOL_ID, TPKT_HEADER, TPKT_VERSION, parseTpdu } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < TPKT_HEADER + 2 || buf[off] !== TPKT_VERSION || buf[off + 1] !== 0) return PROBE_NO;
  const n = (buf[off + 2] << 8) | buf[off + 3];
  if (n < TPKT_HEADER + 3 || n > len) return n >= TPKT_HEADER + 3 ? PROBE_MAYBE : PROBE_NO;
  const t = parseTpdu(buf, off, n);
  if (t === 'bad') return PROBE_NO;
  if (t.type === COTP_CR && t.src_tsap !== undefined && t.dst_tsap !== undefined) return PROBE_YES;
  if (t.type === COTP_DT && t.dataLen > 0) {
    const id = buf[t.dataOff];
    if (id === S7_PROTOCOL_ID || id === S7PLUS_PROTOCOL_ID) return PROBE_YES;
  }
  return PROBE_MAYBE;
}
