// Cheap recognition of Redis. On any port: a client's command array whose first bulk string
// names a Redis command ("*1\r\n$4\r\nPING\r\n"). On 6379 also: an inline command ("PING\r\n"),
// and a server's first reply in a shape Redis sends (+OK, +PONG, -ERR, -NOAUTH, -WRONGPASS,
// -NOPERM, an INFO text "$n\r\n# Server", an array or integer reply).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { COMMANDS, REDIS_PORT, T_ARRAY, isTypeByte } from './parse.js';

/** Every first byte probe() can say other than NO to: a command array, inline command words, replies. */
export const FIRST_BYTES = '*+-:$%_#,(!=~>|ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CR = 0x0d;
const LF = 0x0a;
const MAX_NAME = 24;
const REPLY = /^(\+(OK|PONG|QUEUED)\r\n|-(ERR|NOAUTH|WRONGPASS|NOPERM|WRONGTYPE|LOADING|READONLY|MOVED|ASK|DENIED|MISCONF|BUSY|NOSCRIPT|EXECABORT|OOM|NOPROTO)[ \r]|\$\d{1,9}\r\n# (Server|Clients|Memory|Persistence|Stats|Replication|CPU|Keyspace)\r\n|[*%~]\d{1,7}\r\n[$*:+%~_#,(=-]|:-?\d{1,19}\r\n)/;

function text(buf: Uint8Array, off: number, n: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
}

/** "<digits>\r\n" at p: the index after it, or -1 (-2 when cut short). */
function digitsLine(buf: Uint8Array, p: number, end: number): number {
  const start = p;
  while (p < end && p - start < 10 && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
  if (p === start) return p >= end ? -2 : -1;
  if (p + 2 > end) return -2;
  return buf[p] === CR && buf[p + 1] === LF ? p + 2 : -1;
}

function clientArray(buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  let p = digitsLine(buf, off + 1, end);
  if (p === -2) return PROBE_MAYBE;
  if (p < 0 || p >= end) return p < 0 ? PROBE_NO : PROBE_MAYBE;
  if (buf[p] !== 0x24) return PROBE_NO;
  const lenAt = p + 1;
  p = digitsLine(buf, lenAt, end);
  if (p === -2) return PROBE_MAYBE;
  if (p < 0) return PROBE_NO;
  const n = Number(text(buf, lenAt, p - 2 - lenAt));
  if (n < 1 || n > MAX_NAME) return PROBE_NO;
  if (p + n + 2 > end) return PROBE_MAYBE;
  if (buf[p + n] !== CR || buf[p + n + 1] !== LF) return PROBE_NO;
  return COMMANDS.has(text(buf, p, n).toUpperCase()) ? PROBE_YES : PROBE_NO;
}

function inline(buf: Uint8Array, off: number, len: number): number {
  const end = Math.min(off + len, off + MAX_NAME + 2);
  let p = off;
  while (p < end && ((buf[p] | 0x20) >= 0x61 && (buf[p] | 0x20) <= 0x7a || buf[p] === 0x5f)) p++;
  if (p === off) return PROBE_NO;
  if (p >= end) return len <= MAX_NAME ? PROBE_MAYBE : PROBE_NO;
  if (buf[p] !== 0x20 && buf[p] !== CR && buf[p] !== LF) return PROBE_NO;
  return COMMANDS.has(text(buf, off, p - off).toUpperCase()) ? PROBE_YES : PROBE_NO;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 6 || len < 1) return PROBE_NO;
  const b = buf[off];
  if (isOrig) {
    if (b === T_ARRAY) {
      const v = clientArray(buf, off, len);
      return v === PROBE_MAYBE && port !== REDIS_PORT ? PROBE_NO : v;
    }
    return port === REDIS_PORT ? inline(buf, off, len) : PROBE_NO;
  }
  if (port !== REDIS_PORT || !isTypeByte(b)) return PROBE_NO;
  return REPLY.test(text(buf, off, Math.min(len, 64))) ? PROBE_YES : PROBE_MAYBE;
}
