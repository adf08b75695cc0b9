// Cheap recognition of SMB on any port: an NBSS session message whose payload starts with an
// SMB1/SMB2 protocol id (MS-SMB2 §2.1 direct TCP framing), or an NBSS session request (the
// first message on TCP 139, RFC 1002 §4.3.2).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { NBSS_HEADER_LEN, NBSS_SESSION_MESSAGE, NBSS_SESSION_REQUEST, isSmbMagic } from './parse.js';

/** A session request carries two 34-byte encoded names. */
const SESSION_REQUEST_LEN = 68;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < NBSS_HEADER_LEN) return PROBE_NO;
  const t = buf[off];
  if (t === NBSS_SESSION_MESSAGE) {
    if (len < NBSS_HEADER_LEN + 4) return PROBE_MAYBE;
    return isSmbMagic(buf, off + NBSS_HEADER_LEN, len - NBSS_HEADER_LEN) ? PROBE_YES : PROBE_NO;
  }
  if (t === NBSS_SESSION_REQUEST && isOrig) {
    const l = (buf[off + 2] << 8) | buf[off + 3];
    return l === SESSION_REQUEST_LEN && buf[off + 4] === 0x20 ? PROBE_YES : PROBE_NO;
  }
  return PROBE_NO;
}
