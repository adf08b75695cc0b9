// Cheap recognition of RFB on any port: the server speaks first with "RFB 003.008\n" (RFC 6143
// §7.1.1); a client that talks first (some scanners) sends the same form.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { VERSION_LEN, parseVersion } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  const v = parseVersion(buf, off, len);
  if (v === 'bad') return PROBE_NO;
  if (v === 'need_more') return len >= 4 ? PROBE_MAYBE : PROBE_NO;
  return len >= VERSION_LEN ? PROBE_YES : PROBE_MAYBE;
}
