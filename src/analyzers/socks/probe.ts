// Cheap recognition of SOCKS on any port from the client's first bytes: a SOCKS5 greeting
// whose method count matches the payload exactly and whose methods are assigned or private
// (RFC 1928 §3), or a SOCKS4/4a CONNECT/BIND request ending in its NUL-terminated user id.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { SOCKS4, SOCKS5, parseV4Request } from './parse.js';

/** Methods 0–9 are IANA-assigned; 0x80–0xFE are private. */
function plausibleMethod(m: number): boolean {
  return m <= 9 || (m >= 0x80 && m <= 0xfe);
}

const MAX_METHODS = 16;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig || len < 2) return PROBE_NO;
  const v = buf[off];
  if (v === SOCKS5) {
    const n = buf[off + 1];
    if (n === 0 || n > MAX_METHODS) return PROBE_NO;
    if (len < 2 + n) return PROBE_MAYBE;
    // Clients may pipeline the next message; the greeting itself must still be clean.
    for (let i = 0; i < n; i++) if (!plausibleMethod(buf[off + 2 + i])) return PROBE_NO;
    return PROBE_YES;
  }
  if (v === SOCKS4) {
    const r = parseV4Request(buf, off, len);
    if (r === 'need_more') return PROBE_MAYBE;
    if (r === 'bad' || r.port === 0) return PROBE_NO;
    return r.consumed === len ? PROBE_YES : PROBE_MAYBE;
  }
  return PROBE_NO;
}
