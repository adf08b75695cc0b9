// Syslog message parser: the PRI part common to RFC 3164 §4.1.1 and RFC 5424 §6.2.1, then the
// header fields where they can be read: RFC 5424 (VERSION TIMESTAMP HOSTNAME APP-NAME PROCID
// MSGID), BSD syslog (RFC 3164 §4.1.2 "Mmm dd hh:mm:ss HOSTNAME TAG:"), and the common
// RFC 3339-timestamp variant of it. TCP framing (RFC 6587 §3.4) is the analyzer's job.
// Pure: bytes in, fields out; never reads out of bounds.
import { logString } from '../dns/text.js';

/** Bytes of a message kept for logs and events. */
export const MAX_MESSAGE = 1024;
const MAX_PRI = 191;
const MAX_PRI_DIGITS = 3;
const MAX_TOKEN = 255;
/** Zeek's facility/severity for a message without PRI. */
export const NO_PRI = 999;

export interface SyslogMessage {
  facility: number;
  severity: number;
  /** Everything after PRI (Zeek's `message`), escaped, at most MAX_MESSAGE bytes of it. */
  message: string;
  truncated: boolean;
  format: 'rfc5424' | 'rfc3164' | 'rfc3339' | 'unknown';
  hostname?: string;
  app_name?: string;
  proc_id?: string;
  msg_id?: string;
}

/** Reads "<PRI>" at `off`: returns [pri, bytes consumed], or null. */
export function readPri(buf: Uint8Array, off: number, len: number): [number, number] | null {
  if (len < 3 || buf[off] !== 0x3c) return null;
  let v = 0;
  let i = 1;
  for (; i <= MAX_PRI_DIGITS + 1 && i < len; i++) {
    const b = buf[off + i];
    if (b === 0x3e) break;
    if (b < 0x30 || b > 0x39 || i > MAX_PRI_DIGITS) return null;
    v = v * 10 + (b - 0x30);
  }
  if (i === 1 || i >= len || buf[off + i] !== 0x3e || v > MAX_PRI) return null;
  return [v, i + 1];
}

export function parseSyslog(buf: Uint8Array, off: number, len: number): SyslogMessage {
  const pri = readPri(buf, off, len);
  const start = pri === null ? off : off + pri[1];
  const rest = off + len - start;
  const keep = Math.min(rest, MAX_MESSAGE);
  const m: SyslogMessage = {
    facility: pri === null ? NO_PRI : pri[0] >> 3,
    severity: pri === null ? NO_PRI : pri[0] & 7,
    message: logString(buf, start, keep),
    truncated: rest > keep,
    format: 'unknown',
  };
  if (pri !== null) header(Buffer.from(buf.buffer, buf.byteOffset + start, keep).toString('latin1'), m);
  return m;
}

const RFC5424 = /^[1-9]\d{0,2} (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/;
const BSD_TIME = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;

function field(v: string): string | undefined {
  return v === '-' || v.length > MAX_TOKEN ? undefined : v;
}

/** Reads the header fields from the text after PRI. */
function header(s: string, m: SyslogMessage): void {
  const r = RFC5424.exec(s);
  if (r !== null) {
    m.format = 'rfc5424';
    const host = field(r[2]);
    const app = field(r[3]);
    const proc = field(r[4]);
    const msgId = field(r[5]);
    if (host !== undefined) m.hostname = host;
    if (app !== undefined) m.app_name = app;
    if (proc !== undefined) m.proc_id = proc;
    if (msgId !== undefined) m.msg_id = msgId;
    return;
  }
  const t = BSD_TIME.exec(s) ?? ISO_TIME.exec(s);
  if (t === null) return;
  m.format = t[0].length === 16 ? 'rfc3164' : 'rfc3339';
  const after = s.slice(t[0].length);
  const sp = after.indexOf(' ');
  const first = sp < 0 ? after : after.slice(0, sp);
  // "Apr  5 12:56:51 robin: Hello": a TAG right after the time means no HOSTNAME was sent.
  let tagText = first;
  if (!/[:[]/.test(first) && sp > 0) {
    if (first.length > 0 && first.length <= MAX_TOKEN) m.hostname = first;
    const rest = after.slice(sp + 1);
    const sp2 = rest.indexOf(' ');
    tagText = sp2 < 0 ? rest : rest.slice(0, sp2);
  }
  // RFC 3164 §4.1.3: TAG is alphanumeric up to 32 characters, then "[pid]" or ":".
  const tag = /^([^\s:[\]]{1,48})(?:\[([^\]\s]{1,32})\])?:/.exec(tagText);
  if (tag !== null) {
    m.app_name = tag[1];
    if (tag[2] !== undefined) m.proc_id = tag[2];
  }
}

/** Zeek's Syslog::facility_codes and severity_codes (RFC 5424 §6.2.1 tables). */
export const FACILITIES = ['KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV', 'FTP', 'NTP', 'AUDIT', 'ALERT', 'CLOCK', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'];
export const SEVERITIES = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export function facilityName(f: number): string {
  return FACILITIES[f] ?? `?-${f}`;
}

export function severityName(s: number): string {
  return SEVERITIES[s] ?? `?-${s}`;
}
