// Cheap recognition of TDS ([MS-TDS] 2.2.3) on any port from a direction's first bytes. An
// 8-byte header alone is weak evidence (many binary protocols start with small numbers), so
// only a PRELOGIN option table or a LOGIN7 fixed part is a YES; a plausible request or response
// header is a MAYBE that counts on the well-known port.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { isTlsRecord, parseHeader, STATUS_EOM, parseLogin7, parsePrelogin, TDS_HEADER_LEN, TYPE_LOGIN7, TYPE_PRELOGIN, TYPE_RESPONSE } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const h = parseHeader(buf, off, len);
  // The window byte is unused and always 0 (2.2.3.1.6).
  if (h === null || h.window !== 0) return PROBE_NO;
  const pay = off + TDS_HEADER_LEN;
  const plen = Math.min(len, h.length) - TDS_HEADER_LEN;
  if (isOrig) {
    if (h.type === TYPE_RESPONSE) return PROBE_NO;
    if (h.type === TYPE_PRELOGIN) {
      if (h.length > len) return PROBE_MAYBE;
      return parsePrelogin(buf, pay, plen) !== null || isTlsRecord(buf, pay, plen) ? PROBE_YES : PROBE_NO;
    }
    if (h.type === TYPE_LOGIN7 && (h.status & STATUS_EOM) !== 0 && h.length <= len) return parseLogin7(buf, pay, plen) !== null ? PROBE_YES : PROBE_NO;
    return PROBE_MAYBE;
  }
  if (h.type !== TYPE_RESPONSE) return PROBE_NO;
  if (h.length <= len && parsePrelogin(buf, pay, plen) !== null) return PROBE_YES;
  return PROBE_MAYBE;
}
