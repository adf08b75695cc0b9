// Alert encodings: the JSON line of spec/PRODUCT.md, ArcSight CEF (rev. 25 "Implementing ArcSight
// CEF": header fields escaped `\|` and `\\`, extension values `\=`, `\\`, `\n`), and the RFC 5424
// syslog message carrying CEF as its MSG (§6: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
// STRUCTURED-DATA MSG), framed for TCP by octet counting (RFC 6587 §3.4.1).
import type { Alert } from '../../report/alert.js';
import type { Severity } from '../../report/model.js';
import { VERSION } from '../../version.js';
import { RULES } from '../rules.js';
import { parseV4 } from '../net.js';

/** The alert as one JSON line, fields in the order of spec/PRODUCT.md. */
export function alertJson(a: Alert): string {
  return JSON.stringify({
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    device: a.device,
    peer: a.peer,
    first_ts: a.first_ts,
    last_ts: a.last_ts,
    count: a.count,
    evidence: a.evidence.map((e) => ({ fact: e.fact, value: e.value, source: e.source, file: e.file, packet: e.packet, ts: e.ts })),
    why: a.why,
  });
}

/** CEF severity 0..10: Low 0-3, Medium 4-6, High 7-8, Very-High 9-10. */
const CEF_SEVERITY: Record<Severity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** RFC 5424 §6.2.1 severities: crit 2, err 3, warning 4, notice 5, informational 6. */
const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/** RFC 5424 §6.2.1 facility codes by name. */
export const FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11, ntp: 12,
  audit: 13, alert: 14, clock: 15, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

function cefHeader(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function cefValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function ms(ts: number): number {
  return Math.round(ts * 1000);
}

/** Evidence items cited in the CEF record (the JSON sinks carry all of them). */
const CEF_EVIDENCE = 3;

export function alertCef(a: Alert): string {
  const title = (RULES as Record<string, { title: string } | undefined>)[a.rule]?.title ?? a.rule;
  const ext: [string, string][] = [
    ['rt', String(ms(a.last_ts))],
    ['start', String(ms(a.first_ts))],
    ['end', String(ms(a.last_ts))],
    ['cnt', String(a.count)],
    ['cat', a.rule],
    ['externalId', a.id],
  ];
  const devIp = a.device.startsWith('ip:') ? a.device.slice(3) : null;
  if (devIp !== null && parseV4(devIp) !== null) ext.push(['src', devIp]);
  if (a.device.startsWith('mac:')) ext.push(['smac', a.device.slice(4)]);
  if (a.peer !== null && parseV4(a.peer) !== null) ext.push(['dst', a.peer]);
  ext.push(['cs1Label', 'device'], ['cs1', a.device]);
  if (a.peer !== null) ext.push(['cs2Label', 'peer'], ['cs2', a.peer]);
  if (a.evidence.length > 0) {
    ext.push(['cs3Label', 'evidence'], ['cs3', a.evidence.slice(0, CEF_EVIDENCE).map((e) => `${e.file}#${e.packet} ${e.source}`).join('; ')]);
  }
  ext.push(['msg', a.why]);
  const extension = ext.map(([k, v]) => `${k}=${cefValue(v)}`).join(' ');
  return `CEF:0|wardline|wardline|${cefHeader(VERSION)}|${cefHeader(a.rule)}|${cefHeader(title)}|${CEF_SEVERITY[a.severity]}|${extension}`;
}

export interface SyslogHeader {
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

/** PRINTUSASCII without spaces, at most `max` characters, "-" when empty (RFC 5424 §6). */
function field(s: string, max: number): string {
  const t = s.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return t === '' ? '-' : t;
}

/** RFC 5424 TIMESTAMP with microseconds, in UTC. */
export function syslogTime(ts: number): string {
  const whole = Math.floor(ts);
  const us = Math.round((ts - whole) * 1e6);
  const carry = us >= 1e6 ? 1 : 0;
  const iso = new Date((whole + carry) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(carry ? 0 : us).padStart(6, '0')}Z`;
}

/** One RFC 5424 message whose MSG is the alert in CEF (no BOM: CEF receivers expect plain text). */
export function alertSyslog(a: Alert, h: SyslogHeader): string {
  const pri = h.facility * 8 + SYSLOG_SEVERITY[a.severity];
  return `<${pri}>1 ${syslogTime(a.last_ts)} ${field(h.hostname, 255)} ${field(h.appName, 48)} ${field(h.procId, 128)} ${field(a.rule, 32)} - ${alertCef(a)}`;
}

/** RFC 6587 octet-counting frame: "MSG-LEN SP SYSLOG-MSG", the length in bytes. */
export function octetFrame(msg: string): Buffer {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
