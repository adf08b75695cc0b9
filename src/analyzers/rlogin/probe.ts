// Recognises rlogin on any port from the client's opening handshake (RFC 1282): a NUL, then
// three NUL-terminated printable strings, the last "terminal/speed". rsh (port 514) opens with
// digits and is not matched.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { parseHandshake } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig) return PROBE_NO;
  const r = parseHandshake(buf, off, len);
  if (r === null) return PROBE_NO;
  if (r === 'need_more') return len > 1 ? PROBE_MAYBE : PROBE_NO;
  return r.terminal !== '' ? PROBE_YES : PROBE_MAYBE;
}
