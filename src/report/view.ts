// What the renderers (HTML, OCSF, CEF, text report card) read: the report.json shape of
// spec/PRODUCT.md "report.json", and the orderings and formats they share so that every output
// ranks and names things the same way. Everything here is deterministic: no clock, no locale.
import type { InputSummary } from '../engine/analyze.js';
import { fromCapture, type Device, type Finding, type Metrics, type RiskLevel, type Segment, type Severity } from './model.js';

export interface KbSource {
  name: string;
  date: string;
  records: number;
}

/** The parts of report.json the renderers use (the lead's Report is structurally one). */
export interface ReportView {
  wardline: { version: string; kb: { version: string | null; sources: KbSource[] } };
  inputs: InputSummary[];
  devices: Device[];
  findings: Finding[];
  segments: Segment[];
  /** Percentages (`*_pct`) are 0..100. Missing metrics render as "n/a". */
  metrics: Partial<Metrics>;
  weirds: Record<string, number>;
  /** The date findings were judged at (--as-of), when the report carries it. */
  as_of?: string;
  /** Senders the inventory left out (a flood's forged sources, made-up neighbors), when the report carries them. */
  not_devices?: NotDevices;
}

export interface NotDevices {
  /** Addresses whose only packets were bare SYNs nothing answered (from a packet tool or among many behind one MAC), or that sent one packet each from subnets of their own, many behind one MAC, or that a decoy scan made up (only the scanner's MAC sent them and nothing answered). */
  forged_sources: number;
  /** MACs that announced themselves only within a CDP or LLDP flood. */
  flood_announcers: number;
  /** Locally administered MACs that sent one moment's frames, within a unicast MAC flood on their link. */
  flood_sources: number;
}

/** "1,335 forged sources (…), 161 made-up CDP/LLDP neighbors (a flood)": the text summary's and the HTML report's words. */
export function notDevicesText(nd: NotDevices): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const parts: string[] = [];
  if (nd.forged_sources > 0) parts.push(`${n(nd.forged_sources)} forged source${nd.forged_sources > 1 ? 's' : ''} (bare SYNs nothing answered, one packet each from scattered addresses, or decoys of a scan)`);
  if (nd.flood_announcers > 0) parts.push(`${n(nd.flood_announcers)} made-up CDP/LLDP neighbor${nd.flood_announcers > 1 ? 's' : ''} (a flood)`);
  if (nd.flood_sources > 0) parts.push(`${n(nd.flood_sources)} made-up MAC address${nd.flood_sources > 1 ? 'es' : ''} (a MAC flood)`);
  return parts.join(', ');
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
export const LEVEL_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export const RISK_LEVELS: readonly RiskLevel[] = ['critical', 'high', 'medium', 'low'];
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Most items of a list shown in human-facing outputs; report.json keeps them all. */
export const MAX_FIX_FIRST = 15;
export const MAX_EVIDENCE_SHOWN = 20;

export function severityRank(s: string): number {
  return SEVERITY_RANK[s as Severity] ?? 0;
}

export function levelRank(l: string): number {
  return LEVEL_RANK[l as RiskLevel] ?? 0;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a person calls the device: its first hostname, else an address, else the id. */
export function deviceName(d: Device): string {
  return d.hostnames[0] ?? d.ips[0] ?? d.mac ?? d.id;
}

export function deviceIndex(r: ReportView): Map<string, Device> {
  const m = new Map<string, Device>();
  for (const d of r.devices) m.set(d.id, d);
  return m;
}

/** Devices, riskiest first (score, then medical, then id). */
export function devicesByRisk(r: ReportView): Device[] {
  return [...r.devices].sort(
    (a, b) =>
      b.risk.score - a.risk.score ||
      levelRank(b.risk.level) - levelRank(a.risk.level) ||
      Number(b.medical) - Number(a.medical) ||
      cmpStr(a.id, b.id),
  );
}

export interface RankedFinding {
  finding: Finding;
  device: Device | undefined;
}

/** The order in which to fix findings: severity, known exploitation, CVSS, the device's risk. */
export function compareFindings(a: RankedFinding, b: RankedFinding): number {
  const fa = a.finding;
  const fb = b.finding;
  return (
    severityRank(fb.severity) - severityRank(fa.severity) ||
    Number(fb.kev === true) - Number(fa.kev === true) ||
    (fb.cvss ?? 0) - (fa.cvss ?? 0) ||
    (b.device?.risk.score ?? 0) - (a.device?.risk.score ?? 0) ||
    Number(b.device?.medical === true) - Number(a.device?.medical === true) ||
    cmpStr(fa.rule, fb.rule) ||
    cmpStr(fa.device, fb.device) ||
    cmpStr(fa.id, fb.id)
  );
}

/** Every finding above "info", in fix-first order. */
export function fixFirst(r: ReportView): RankedFinding[] {
  const idx = deviceIndex(r);
  return r.findings
    .filter((f) => severityRank(f.severity) > 0)
    .map((f) => ({ finding: f, device: idx.get(f.device) }))
    .sort(compareFindings);
}

/** One fix: the same finding (rule, title, remediation, severity) on every device it concerns. */
export interface FixAction {
  /** The highest-ranked occurrence, which places the action in the list. */
  finding: Finding;
  /** Every occurrence, in fix-first order. */
  occurrences: RankedFinding[];
  /** What to do, as the list shows it: the finding's title, or a merged patch task's. */
  title: string;
  severity: Severity;
  remediation: string;
  /** CVEs the action fixes, in fix-first order. */
  cves: string[];
  /** Whether one of them is in CISA's Known Exploited Vulnerabilities catalog. */
  kev: boolean;
  /** CVE actions merged into one patch task; 1 for every other action. */
  merged: number;
  /** Findings the action covers (its occurrences, or every merged action's). */
  findings: number;
}

const CVE_RULES = new Set(['vulnerability', 'known-exploited-vulnerability']);

/**
 * Fix-first findings as actions: "patch BlueKeep" is one task whether three hosts or thirty
 * need it, listed where its first device ranks. And the CVEs of one severity that concern exactly
 * the same devices are one task too — installing the vendor's updates on those devices — instead
 * of a line per CVE: an unpatched Windows 7 host otherwise fills the whole list.
 */
export function fixActions(r: ReportView): FixAction[] {
  const groups = new Map<string, FixAction>();
  for (const rf of fixFirst(r)) {
    const f = rf.finding;
    const key = `${f.severity}\u0000${f.rule}\u0000${f.title}\u0000${f.remediation ?? ''}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { finding: f, occurrences: [], title: f.title, severity: f.severity, remediation: f.remediation ?? '', cves: [...f.cves], kev: f.kev === true, merged: 1, findings: 0 };
      groups.set(key, g);
    }
    g.occurrences.push(rf);
    g.findings++;
  }
  // Each slot is one action, or the CVE actions merged where the first of them ranks.
  const slots: FixAction[][] = [];
  const patches = new Map<string, FixAction[]>();
  for (const a of groups.values()) {
    if (!CVE_RULES.has(a.finding.rule)) {
      slots.push([a]);
      continue;
    }
    const key = patchKey(a);
    const same = patches.get(key);
    if (same !== undefined) same.push(a);
    else {
      const list = [a];
      patches.set(key, list);
      slots.push(list);
    }
  }
  return slots.map((list) => (list.length === 1 ? list[0] : patchTask(list)));
}

/**
 * The devices an action concerns, each once (its first occurrence): one device can hold the same
 * finding twice, as an alert raised against two peers does.
 */
export function actionDevices(a: FixAction): RankedFinding[] {
  const seen = new Set<string>();
  const out: RankedFinding[] = [];
  for (const o of a.occurrences) {
    if (seen.has(o.finding.device)) continue;
    seen.add(o.finding.device);
    out.push(o);
  }
  return out;
}

/** CVE actions with the same key are one patch task: same severity, exactly the same devices. */
function patchKey(a: FixAction): string {
  return `${a.severity}\u0000${[...new Set(a.occurrences.map((o) => o.finding.device))].sort().join('\u0000')}`;
}

/** Several CVE actions on the same devices as one task: install the vendor's updates. */
function patchTask(list: FixAction[]): FixAction {
  const lead = list[0];
  const cves: string[] = [];
  for (const a of list) for (const c of a.cves) if (!cves.includes(c)) cves.push(c);
  const kev = new Set(list.filter((a) => a.kev).flatMap((a) => a.cves)).size;
  const title = `Install the vendor's security updates for ${cves.length} CVEs${kev > 0 ? ` (${kev} known exploited)` : ''}`;
  const remediation =
    `Apply the updates that fix ${cves.length > 1 ? 'these CVEs' : 'this CVE'}${kev > 0 ? ', the known-exploited ones first' : ''}; ` +
    `where a device cannot be patched (end of support, vendor validation of a medical device), isolate it and allow only the flows it needs (wardline policy writes those rules from the observed traffic).`;
  // Every device has every member's finding: the lead's occurrences name the devices.
  return { finding: lead.finding, occurrences: lead.occurrences, title, severity: lead.severity, remediation, cves, kev: kev > 0, merged: list.length, findings: list.reduce((k, a) => k + a.findings, 0) };
}

/** Findings grouped by device id, each group in fix-first order. */
export function findingsByDevice(r: ReportView): Map<string, Finding[]> {
  const idx = deviceIndex(r);
  const ranked = r.findings.map((f) => ({ finding: f, device: idx.get(f.device) })).sort(compareFindings);
  const m = new Map<string, Finding[]>();
  for (const { finding } of ranked) {
    let l = m.get(finding.device);
    if (!l) m.set(finding.device, (l = []));
    l.push(finding);
  }
  return m;
}

/** "12.5%" for 12.5; "n/a" when the metric is missing or not a number. */
export function fmtPct(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return 'n/a';
  return `${x.toFixed(1).replace(/\.0$/, '')}%`;
}

/** Thousands with commas, independent of the process locale. */
export function fmtInt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + grouped;
}

/** Capture timestamp (epoch seconds) as ISO 8601 UTC with milliseconds; "" when absent. */
export function fmtTs(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '';
  return new Date(Math.round(ts * 1000)).toISOString();
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * A string from the network made safe for a terminal or a one-line record: C0/C1 control
 * characters (escape sequences, NUL) become U+FFFD; newlines and tabs become spaces.
 */
export function plain(s: unknown): string {
  return String(s ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '\ufffd');
}

/**
 * The earliest and latest capture timestamps of an evidence list, or null. Knowledge-base
 * evidence (model.ts fromCapture) dates nothing: it must not make a finding look as old as 1970.
 */
export function evidenceSpan(ev: { ts: number; packet: number }[]): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const e of ev) {
    if (!fromCapture(e) || !Number.isFinite(e.ts)) continue;
    if (e.ts < first) first = e.ts;
    if (e.ts > last) last = e.ts;
  }
  return first === Infinity ? null : { first, last };
}

/** The end of the observed traffic: the latest last_ts of the inputs (0 when none). */
export function reportTime(r: ReportView): number {
  let t = 0;
  for (const i of r.inputs) if (i.last_ts !== null && i.last_ts > t) t = i.last_ts;
  return t;
}

export const CATEGORY_LABEL: Record<string, string> = {
  imaging: 'Imaging',
  pacs: 'PACS',
  infusion_pump: 'Infusion pump',
  patient_monitor: 'Patient monitor',
  lab_analyzer: 'Lab analyzer',
  medical_other: 'Other medical',
  workstation: 'Workstation',
  server: 'Server',
  printer: 'Printer',
  camera: 'Camera',
  phone: 'Phone',
  network: 'Network equipment',
  building_automation: 'Building automation',
  industrial: 'Industrial control',
  iot_other: 'Other IoT',
  unknown: 'Unknown',
};

export function categoryLabel(c: string): string {
  return CATEGORY_LABEL[c] ?? c;
}

export function osLabel(d: Device): string {
  if (!d.os) return '';
  return d.os.version && !d.os.name.includes(d.os.version) ? `${d.os.name} ${d.os.version}` : d.os.name;
}
