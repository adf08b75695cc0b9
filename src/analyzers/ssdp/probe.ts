// Cheap recognition of SSDP on any UDP port: an "M-SEARCH * HTTP/1.1" or "NOTIFY * HTTP/1.1"
// start line (Plex's GDM, for one, sends M-SEARCH to 32412), or an HTTP/1.x answer with ST/USN.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { parseSsdp } from './parse.js';

const M_SEARCH = 'M-SEARCH * HTTP/1.';
const NOTIFY = 'NOTIFY * HTTP/1.';
const HTTP = 'HTTP/1.';

function startsWith(buf: Uint8Array, off: number, len: number, s: string): boolean {
  if (len < s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[off + i] !== s.charCodeAt(i)) return false;
  return true;
}

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17) return PROBE_NO;
  if (startsWith(buf, off, len, M_SEARCH) || startsWith(buf, off, len, NOTIFY)) return PROBE_YES;
  if (startsWith(buf, off, len, HTTP)) return parseSsdp(buf, off, len) === 'bad' ? PROBE_NO : PROBE_YES;
  return len < M_SEARCH.length && (startsWith(buf, off, len, M_SEARCH.slice(0, len)) || startsWith(buf, off, len, NOTIFY.slice(0, len))) ? PROBE_MAYBE : PROBE_NO;
}
