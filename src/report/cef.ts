// --cef FILE: one ArcSight Common Event Format (CEF) line per finding.
// CEF:0|wardline|wardline|<version>|<rule>|<title>|<severity 0-10>|<extension>
// Escaping (ArcSight "Implementing ArcSight CEF", Character Encoding): in the prefix, `\` and `|`
// are escaped with a backslash and newlines are not allowed; in the extension, `\` and `=` are
// escaped, and newlines are written as `\n` / `\r`. Control characters from the network are
// replaced by U+FFFD in both, so a hostile device name cannot forge a record or a terminal.
//
// Extension keys: rt/start/end (first/last evidence, epoch ms), cat (rule), msg (detail),
// externalId (finding id), src (device IPv4) or c6a1 (IPv6 when it has no IPv4), smac, shost,
// cs1 deviceId, cs2 deviceCategory, cs3 cves, cs4 remediation, cs5 evidence, cs6 deviceIdentity,
// cfp1 cvss, cn1 kev (1/0); dvchost/deviceExternalId name the sensor when the caller gives them.
import type { Device, Evidence, Finding, Severity } from './model.js';
import { categoryLabel, cmpStr, deviceIndex, evidenceSpan, osLabel, type ReportView } from './view.js';

/** CEF severity (0-10; 0-3 low, 4-6 medium, 7-8 high, 9-10 very high). */
export const CEF_SEVERITY: Record<Severity, number> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** ArcSight limits the custom string fields to 4000 characters; keep records short. */
const MAX_CS_CHARS = 1000;
const MAX_EVIDENCE_IN_CS = 5;

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** A prefix (header) field: `\` -> `\\`, `|` -> `\|`, line breaks -> space. */
export function cefHeaderEscape(s: unknown): string {
  return String(s ?? '')
    .replace(CONTROL, '\ufffd')
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|');
}

/** An extension value: `\` -> `\\`, `=` -> `\=`, CR -> `\r`, LF -> `\n`. */
export function cefExtEscape(s: unknown): string {
  return String(s ?? '')
    .replace(CONTROL, '\ufffd')
    .replace(/\\/g, '\\\\')
    .replace(/=/g, '\\=')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
}

export interface CefOptions {
  /** The sensor's host name (dvchost): the device that generated the event. */
  sensorHost?: string;
  /** The sensor's unique name (deviceExternalId). */
  sensorId?: string;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function evidenceText(ev: Evidence[]): string {
  const sorted = [...ev].sort((a, b) => a.ts - b.ts || cmpStr(a.file, b.file) || a.packet - b.packet || cmpStr(a.source, b.source));
  const parts = sorted.slice(0, MAX_EVIDENCE_IN_CS).map((e) => `${e.file}#${e.packet} ${e.source} ${e.fact}=${e.value}`);
  if (sorted.length > MAX_EVIDENCE_IN_CS) parts.push(`+${sorted.length - MAX_EVIDENCE_IN_CS} more`);
  return clip(parts.join('; '), MAX_CS_CHARS);
}

function isIpv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
}

function extension(f: Finding, d: Device | undefined, o: CefOptions): string {
  const kv: [string, string | number][] = [];
  const span = evidenceSpan(f.evidence);
  if (span) {
    kv.push(['rt', Math.round(span.first * 1000)]);
    kv.push(['start', Math.round(span.first * 1000)]);
    kv.push(['end', Math.round(span.last * 1000)]);
  }
  kv.push(['cat', f.rule]);
  if (f.detail) kv.push(['msg', clip(f.detail, MAX_CS_CHARS)]);
  kv.push(['externalId', f.id]);
  if (o.sensorHost) kv.push(['dvchost', o.sensorHost]);
  if (o.sensorId) kv.push(['deviceExternalId', o.sensorId]);
  if (d) {
    const v4 = d.ips.find(isIpv4);
    const v6 = d.ips.find((ip) => ip.includes(':'));
    if (v4) kv.push(['src', v4]);
    else if (v6) kv.push(['c6a1', v6], ['c6a1Label', 'deviceIPv6']);
    if (d.mac) kv.push(['smac', d.mac]);
    if (d.hostnames[0]) kv.push(['shost', d.hostnames[0]]);
  }
  kv.push(['cs1', f.device], ['cs1Label', 'deviceId']);
  if (d) kv.push(['cs2', categoryLabel(d.category)], ['cs2Label', 'deviceCategory']);
  if (f.cves.length) kv.push(['cs3', clip([...f.cves].sort(cmpStr).join(','), MAX_CS_CHARS)], ['cs3Label', 'cves']);
  if (f.remediation) kv.push(['cs4', clip(f.remediation, MAX_CS_CHARS)], ['cs4Label', 'remediation']);
  if (f.evidence.length) kv.push(['cs5', evidenceText(f.evidence)], ['cs5Label', 'evidence']);
  if (d) {
    const ident = [d.vendor, d.model, osLabel(d)].filter((x) => x).join(' / ');
    if (ident) kv.push(['cs6', clip(ident, MAX_CS_CHARS)], ['cs6Label', 'deviceIdentity']);
  }
  if (f.cvss !== undefined) kv.push(['cfp1', f.cvss], ['cfp1Label', 'cvss']);
  if (f.kev !== undefined) kv.push(['cn1', f.kev ? 1 : 0], ['cn1Label', 'kev']);
  return kv.map(([k, v]) => `${k}=${cefExtEscape(v)}`).join(' ');
}

/** One CEF line for a finding. */
export function cefLine(r: ReportView, f: Finding, d: Device | undefined, o: CefOptions = {}): string {
  const header = ['CEF:0', 'wardline', 'wardline', r.wardline.version, f.rule, f.title, String(CEF_SEVERITY[f.severity] ?? 0)].map((x, i) =>
    i === 0 ? x : cefHeaderEscape(x),
  );
  return `${header.join('|')}|${extension(f, d, o)}`;
}

/** One CEF line per finding, in (device, rule, id) order. */
export function toCef(r: ReportView, o: CefOptions = {}): string {
  const idx = deviceIndex(r);
  const findings = [...r.findings].sort((a, b) => cmpStr(a.device, b.device) || cmpStr(a.rule, b.rule) || cmpStr(a.id, b.id));
  return findings.map((f) => cefLine(r, f, idx.get(f.device), o) + '\n').join('');
}
