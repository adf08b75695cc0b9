// Cheap recognition of RDP on any port: a TPKT (version 3) whose X.224 TPDU is a Connection
// Request from the client (MS-RDPBCGR §2.2.1.1) or a Connection Confirm from the server.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { TPKT_HEADER_LEN, TPKT_VERSION } from './parse.js';

const X224_CR = 0xe0;
const X224_CC = 0xd0;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < TPKT_HEADER_LEN || buf[off] !== TPKT_VERSION || buf[off + 1] !== 0) return PROBE_NO;
  const tlen = (buf[off + 2] << 8) | buf[off + 3];
  if (tlen < 11) return PROBE_NO;
  if (len < TPKT_HEADER_LEN + 2) return PROBE_MAYBE;
  const li = buf[off + 4];
  const code = buf[off + 5] & 0xf0;
  if (li + 1 + TPKT_HEADER_LEN > tlen) return PROBE_NO;
  // TPKT + CR also frames ISO-TSAP protocols (S7comm): the RDP cookie/negotiation makes it RDP.
  if (isOrig && code === X224_CR) {
    const rest = Buffer.from(buf.buffer, buf.byteOffset + off + 11, Math.max(0, Math.min(len, tlen) - 11)).toString('latin1');
    if (rest.startsWith('Cookie: ') || (tlen === 19 && buf[off + 11] === 0x01)) return PROBE_YES;
    return PROBE_MAYBE;
  }
  if (!isOrig && code === X224_CC) return PROBE_MAYBE;
  return PROBE_NO;
}
