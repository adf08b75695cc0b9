// Cheap recognition of syslog on any port: a message starts with "<PRI>" (RFC 5424 §6.2.1,
// RFC 3164 §4.1.1) followed by a version digit, a month name, a date or printable text; over
// TCP it may be preceded by an octet count (RFC 6587 §3.4.1). Anything else (rsh on TCP 514
// starts with a port number and NUL) is refused.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { readPri } from './parse.js';

const MAX_LEN_DIGITS = 6;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (!isOrig && proto === 6) return PROBE_NO;
  let o = off;
  let l = len;
  if (proto === 6) {
    let i = 0;
    while (i < l && i <= MAX_LEN_DIGITS && buf[o + i] >= 0x30 && buf[o + i] <= 0x39) i++;
    if (i > 0 && i < l && buf[o + i] === 0x20) {
      o += i + 1;
      l -= i + 1;
    }
  }
  const pri = readPri(buf, o, l);
  if (pri === null) return PROBE_NO;
  const next = o + pri[1];
  if (next >= o + l) return PROBE_NO;
  const c = buf[next];
  return c >= 0x20 && c < 0x7f ? PROBE_YES : PROBE_NO;
}
