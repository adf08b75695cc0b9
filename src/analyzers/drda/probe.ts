// DRDA on any port: a request DSS (magic 0xD0, DSS type request) whose DDM object is EXCSAT or
// ACCSEC, the two ways a connection opens; or, joined mid-way, any well-formed DSS whose object
// length fits inside it.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { ACCSEC, DSS_HEADER, DSS_MAGIC, EXCSAT, u16 } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 3) return len > 0 ? PROBE_MAYBE : PROBE_NO;
  if (buf[off + 2] !== DSS_MAGIC) return PROBE_NO;
  if (len < DSS_HEADER + 4) return PROBE_MAYBE;
  const dssLen = u16(buf, off);
  const fmt = buf[off + 3];
  const ddmLen = u16(buf, off + DSS_HEADER);
  const cp = u16(buf, off + DSS_HEADER + 2);
  if (dssLen < DSS_HEADER + 4 || (fmt & 0x80) !== 0 || (fmt & 0x0f) < 1 || (fmt & 0x0f) > 5) return PROBE_NO;
  if (ddmLen < 4 || ddmLen > dssLen - DSS_HEADER) return PROBE_NO;
  if (isOrig && (fmt & 0x0f) === 1 && (cp === EXCSAT || cp === ACCSEC)) return PROBE_YES;
  return PROBE_NO;
}
