// Cheap recognition of NTP on any port. NTP has no magic number, so the header's fields must
// all be in range (RFC 5905 §7.3): version 1–4, a mode, stratum ≤ 16, sane poll/precision, a
// length of 48 plus whole extension fields or a MAC. Mode 7 (ntpd private, monlist) is
// recognised by its implementation number and request code.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MODE_CONTROL, MODE_PRIVATE, NTP_HEADER_LEN } from './parse.js';

const MAX_STRATUM = 16;
const MIN_POLL = -6;
const MAX_POLL = 17;
const MIN_PRECISION = -32;
/** ntpd mode 7 implementation numbers: universal, XNTPD old, XNTPD. */
const IMPL_UNIV = 0;
const IMPL_XNTPD_OLD = 2;
const IMPL_XNTPD = 3;
const MAX_REQUEST_CODE = 45;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len < 4) return PROBE_NO;
  const b0 = buf[off];
  const version = (b0 >> 3) & 7;
  const mode = b0 & 7;
  if (version < 1 || version > 4) return PROBE_NO;
  if (mode === MODE_PRIVATE) {
    const impl = buf[off + 2];
    if (len >= 8 && (impl === IMPL_UNIV || impl === IMPL_XNTPD_OLD || impl === IMPL_XNTPD) && buf[off + 3] <= MAX_REQUEST_CODE) return PROBE_MAYBE;
    return PROBE_NO;
  }
  if (mode === MODE_CONTROL) return len >= 12 && (buf[off + 1] & 0x1f) <= 31 ? PROBE_MAYBE : PROBE_NO;
  if (mode === 0 || len < NTP_HEADER_LEN || (len - NTP_HEADER_LEN) % 4 !== 0) return PROBE_NO;
  const stratum = buf[off + 1];
  const poll = (buf[off + 2] << 24) >> 24;
  const precision = (buf[off + 3] << 24) >> 24;
  if (stratum > MAX_STRATUM || poll < MIN_POLL || poll > MAX_POLL || precision < MIN_PRECISION || precision > 0) return PROBE_NO;
  // A transmit timestamp is always set by a real sender (RFC 5905 §8).
  let xmt = 0;
  for (let i = 40; i < 48; i++) xmt |= buf[off + i];
  return xmt !== 0 ? PROBE_YES : PROBE_MAYBE;
}
