// --ocsf FILE: the report as OCSF 1.3.0 events, one JSON object per line (schema.ocsf.io/1.3.0).
//
// Mapping (one event per device, one per finding; devices first, then findings, each in id order):
//   Device                                        -> Device Inventory Info   5001 (Discovery 5), activity 2 Collect
//   vulnerability, known-exploited-vulnerability,
//   medical-advisory  (with a CVE or an advisory)  -> Vulnerability Finding   2002 (Findings 2), activity 1 Create
//   eol-os, cleartext-protocol, cleartext-credentials, default-credentials, phi-cleartext, smbv1,
//   smb-signing, weak-tls, weak-ssh, weak-vpn, weak-kerberos, weak-ntlm, rdp-security, weak-wifi, weak-eap,
//   rogue-ap, trunk-negotiation, gateway-port-mapping, dicom-open-access, remote-access, encrypted-dns, poisonable-name-resolution,
//   segment-mixed  (posture rules)                 -> Compliance Finding 2003, compliance.standards
//                                                    CIS Controls v8 (+ HIPAA Security Rule for PHI)
//   everything else (scan, brute-force, lateral-movement, new-peer, cryptomining, p2p-file-sharing,
//   rules added later, and
//   vulnerability rules with neither CVE nor advisory) -> Detection Finding 2004
// type_uid = class_uid * 100 + activity_id. time is epoch milliseconds of the observation (the
// device's last sighting, the finding's first evidence), never the wall clock, so the output is
// deterministic. wardline's evidence (file, packet, ts, source field) rides in `unmapped`. A finding
// whose rule detects an ATT&CK technique (attack.ts) carries it in finding_info.attacks.
import type { Device, Finding, Severity } from './model.js';
import { cmpStr, deviceIndex, evidenceSpan, reportTime, type ReportView } from './view.js';
import { attackTechniques } from './attack.js';

export const OCSF_VERSION = '1.3.0';
/** The MITRE ATT&CK release the technique table (attack.ts) follows. */
const ATTACK_VERSION = '15';

export const CATEGORY_FINDINGS = 2;
export const CATEGORY_DISCOVERY = 5;
export const CLASS_DEVICE_INVENTORY = 5001;
export const CLASS_VULNERABILITY_FINDING = 2002;
export const CLASS_COMPLIANCE_FINDING = 2003;
export const CLASS_DETECTION_FINDING = 2004;
const ACTIVITY_COLLECT = 2;
const ACTIVITY_CREATE = 1;
const STATUS_NEW = 1;
const ANALYTIC_RULE = 1;
const COMPLIANCE_FAIL = 3;

const VULNERABILITY_RULES = new Set(['vulnerability', 'known-exploited-vulnerability', 'medical-advisory']);

interface Control {
  standards: string[];
  control: string;
  requirements: string[];
}

const CIS = 'CIS Critical Security Controls v8';
const HIPAA = 'HIPAA Security Rule';

/** Posture rules and the published safeguard each one fails. */
const COMPLIANCE: Record<string, Control> = {
  'eol-os': { standards: [CIS], control: '2.2', requirements: ['2.2 Ensure Authorized Software is Currently Supported'] },
  'cleartext-protocol': { standards: [CIS], control: '3.10', requirements: ['3.10 Encrypt Sensitive Data in Transit'] },
  'cleartext-credentials': { standards: [CIS], control: '3.10', requirements: ['3.10 Encrypt Sensitive Data in Transit'] },
  'default-credentials': { standards: [CIS], control: '4.7', requirements: ['4.7 Manage Default Accounts on Enterprise Assets and Software'] },
  'phi-cleartext': {
    standards: [HIPAA, CIS],
    control: '45 CFR 164.312(e)(1)',
    requirements: ['45 CFR 164.312(e)(1) Transmission security', '3.10 Encrypt Sensitive Data in Transit'],
  },
  smbv1: { standards: [CIS], control: '4.8', requirements: ['4.8 Uninstall or Disable Unnecessary Services on Enterprise Assets and Software'] },
  'weak-tls': { standards: [CIS], control: '3.10', requirements: ['3.10 Encrypt Sensitive Data in Transit'] },
  'weak-ssh': { standards: [CIS], control: '12.6', requirements: ['12.6 Use of Secure Network Management and Communication Protocols'] },
  'weak-vpn': { standards: [CIS], control: '3.10', requirements: ['3.10 Encrypt Sensitive Data in Transit'] },
  'insecure-update': { standards: [CIS], control: '3.10', requirements: ['3.10 Encrypt Sensitive Data in Transit'] },
  // Authentication that the domain's configuration leaves weak: its secure configuration is the safeguard.
  'smb-signing': { standards: [CIS], control: '4.1', requirements: ['4.1 Establish and Maintain a Secure Configuration Process'] },
  'weak-kerberos': { standards: [CIS], control: '4.1', requirements: ['4.1 Establish and Maintain a Secure Configuration Process'] },
  'weak-ntlm': { standards: [CIS], control: '4.1', requirements: ['4.1 Establish and Maintain a Secure Configuration Process'] },
  'rdp-security': { standards: [CIS], control: '12.6', requirements: ['12.6 Use of Secure Network Management and Communication Protocols'] },
  'rogue-ap': { standards: [CIS], control: '1.2', requirements: ['1.2 Address Unauthorized Assets'] },
  'remote-access': { standards: [CIS], control: '2.5', requirements: ['2.5 Allowlist Authorized Software'] },
  'encrypted-dns': { standards: [CIS], control: '9.2', requirements: ['9.2 Use DNS Filtering Services'] },
  'poisonable-name-resolution': { standards: [CIS], control: '4.8', requirements: ['4.8 Uninstall or Disable Unnecessary Services on Enterprise Assets and Software'] },
  'weak-eap': { standards: [CIS], control: '12.6', requirements: ['12.6 Use of Secure Network Management and Communication Protocols'] },
  'weak-wifi': { standards: [CIS], control: '12.6', requirements: ['12.6 Use of Secure Network Management and Communication Protocols'] },
  'trunk-negotiation': { standards: [CIS], control: '12.2', requirements: ['12.2 Establish and Maintain a Secure Network Architecture'] },
  'gateway-port-mapping': { standards: [CIS], control: '4.8', requirements: ['4.8 Uninstall or Disable Unnecessary Services on Enterprise Assets and Software'] },
  'dicom-open-access': { standards: [CIS], control: '6.8', requirements: ['6.8 Define and Maintain Role-Based Access Control'] },
  'segment-mixed': { standards: [CIS], control: '12.2', requirements: ['12.2 Establish and Maintain a Secure Network Architecture'] },
  'internet-exposure': { standards: [CIS], control: '12.2', requirements: ['12.2 Establish and Maintain a Secure Network Architecture'] },
  'internet-communication': { standards: [CIS], control: '12.2', requirements: ['12.2 Establish and Maintain a Secure Network Architecture'] },
};

const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };
const RISK_LEVEL_ID: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const RISK_LEVEL_NAME: Record<number, string> = { 0: 'Info', 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical' };

/** OCSF device type_id: 0 Unknown, 1 Server, 2 Desktop, 7 IOT, 99 Other. */
const DEVICE_TYPE: Record<string, [number, string]> = {
  server: [1, 'Server'],
  pacs: [1, 'Server'],
  workstation: [2, 'Desktop'],
  imaging: [7, 'IOT'],
  infusion_pump: [7, 'IOT'],
  patient_monitor: [7, 'IOT'],
  lab_analyzer: [7, 'IOT'],
  medical_other: [7, 'IOT'],
  printer: [7, 'IOT'],
  camera: [7, 'IOT'],
  phone: [7, 'IOT'],
  building_automation: [7, 'IOT'],
  industrial: [7, 'IOT'],
  iot_other: [7, 'IOT'],
  network: [99, 'Other'],
  unknown: [0, 'Unknown'],
};

/** OCSF os type_id from wardline's OS family. */
function osType(family: string, name: string): [number, string] {
  const s = `${family} ${name}`.toLowerCase();
  if (s.includes('windows mobile') || s.includes('windows ce')) return [101, 'Windows Mobile'];
  if (s.includes('windows')) return [100, 'Windows'];
  if (s.includes('android')) return [201, 'Android'];
  if (s.includes('ipados')) return [302, 'iPadOS'];
  if (s.includes('ios')) return [301, 'iOS'];
  if (s.includes('mac')) return [300, 'macOS'];
  if (s.includes('linux')) return [200, 'Linux'];
  if (s.includes('solaris') || s.includes('sunos')) return [400, 'Solaris'];
  if (s.includes('aix')) return [401, 'AIX'];
  if (s.includes('hp-ux') || s.includes('hpux')) return [402, 'HP-UX'];
  if (s.trim() === '' || s.includes('unknown')) return [0, 'Unknown'];
  return [99, 'Other'];
}

function ms(ts: number): number {
  return Math.round(ts * 1000);
}

function metadata(r: ReportView, uid: string): Record<string, unknown> {
  return {
    product: { name: 'wardline', vendor_name: 'wardline', version: r.wardline.version },
    version: OCSF_VERSION,
    uid,
  };
}

function ocsfDevice(d: Device): Record<string, unknown> {
  const [typeId, type] = DEVICE_TYPE[d.category] ?? [0, 'Unknown'];
  const o: Record<string, unknown> = { type_id: typeId, type, uid: d.id };
  const name = d.hostnames[0];
  if (name) {
    o.hostname = name;
    o.name = name;
  }
  if (d.ips.length) o.ip = d.ips[0];
  if (d.mac) o.mac = d.mac;
  if (d.vendor) o.vendor_name = d.vendor;
  if (d.model) o.model = d.model;
  if (d.os) {
    const [osId, osName] = osType(d.os.family, d.os.name);
    const os: Record<string, unknown> = { name: d.os.name, type_id: osId, type: osName };
    if (d.os.version) os.version = d.os.version;
    o.os = os;
  }
  if (d.ips.length > 1 || d.hostnames.length > 1) {
    o.network_interfaces = d.ips.map((ip) => ({ ip, type_id: 0, type: 'Unknown', ...(d.mac ? { mac: d.mac } : {}) }));
  }
  const level = RISK_LEVEL_ID[d.risk.level] ?? 0;
  o.risk_level_id = level;
  o.risk_level = RISK_LEVEL_NAME[level];
  o.risk_score = d.risk.score;
  if (d.first_seen !== undefined) o.first_seen_time = ms(d.first_seen);
  if (d.last_seen !== undefined) o.last_seen_time = ms(d.last_seen);
  return o;
}

function deviceTime(d: Device, fallback: number): number {
  if (d.last_seen !== undefined) return ms(d.last_seen);
  const span = evidenceSpan(d.evidence);
  return ms(span ? span.last : fallback);
}

function inventoryEvent(r: ReportView, d: Device, fallback: number): Record<string, unknown> {
  return {
    category_uid: CATEGORY_DISCOVERY,
    category_name: 'Discovery',
    class_uid: CLASS_DEVICE_INVENTORY,
    class_name: 'Device Inventory Info',
    activity_id: ACTIVITY_COLLECT,
    activity_name: 'Collect',
    type_uid: CLASS_DEVICE_INVENTORY * 100 + ACTIVITY_COLLECT,
    type_name: 'Device Inventory Info: Collect',
    severity_id: 1,
    severity: 'Informational',
    time: deviceTime(d, fallback),
    metadata: metadata(r, d.id),
    device: ocsfDevice(d),
    unmapped: {
      category: d.category,
      medical: d.medical,
      software: d.software,
      services: d.services,
      protocols: d.protocols,
      risk_factors: d.risk.factors,
      ...(d.os ? { os_eol: d.os.eol, os_eol_date: d.os.eol_date } : {}),
      ...(d.vlans?.length ? { vlans: d.vlans } : {}),
    },
  };
}

/** Which class a finding becomes (see the mapping at the top of this file). */
export function ocsfClassOf(f: Finding): number {
  if (VULNERABILITY_RULES.has(f.rule) && (f.cves.length > 0 || f.advisory)) return CLASS_VULNERABILITY_FINDING;
  if (COMPLIANCE[f.rule]) return CLASS_COMPLIANCE_FINDING;
  return CLASS_DETECTION_FINDING;
}

const CLASS_NAME: Record<number, string> = {
  [CLASS_VULNERABILITY_FINDING]: 'Vulnerability Finding',
  [CLASS_COMPLIANCE_FINDING]: 'Compliance Finding',
  [CLASS_DETECTION_FINDING]: 'Detection Finding',
};

function vulnerabilities(f: Finding, first: number | null, last: number | null): Record<string, unknown>[] {
  const common: Record<string, unknown> = { title: f.title, desc: f.detail, severity: SEVERITY_NAME[SEVERITY_ID[f.severity] ?? 0] };
  if (f.remediation) common.remediation = { desc: f.remediation };
  if (f.kev !== undefined) common.is_exploit_available = f.kev;
  if (f.advisory) common.advisory = { uid: f.advisory, title: f.advisory };
  if (first !== null) common.first_seen_time = first;
  if (last !== null) common.last_seen_time = last;
  if (f.cves.length === 0) return [common];
  return [...f.cves].sort(cmpStr).map((cve) => {
    const c: Record<string, unknown> = { uid: cve };
    if (f.cvss !== undefined && f.cvss_version) c.cvss = [{ base_score: f.cvss, version: f.cvss_version }];
    return { ...common, cve: c };
  });
}

function findingEvent(r: ReportView, f: Finding, d: Device | undefined, fallback: number): Record<string, unknown> {
  const cls = ocsfClassOf(f);
  const span = evidenceSpan(f.evidence);
  const first = span ? ms(span.first) : null;
  const last = span ? ms(span.last) : null;
  const sev = SEVERITY_ID[f.severity] ?? 0;
  const info: Record<string, unknown> = {
    uid: f.id,
    title: f.title,
    desc: f.detail,
    types: [f.rule],
    analytic: { uid: f.rule, name: f.rule, type_id: ANALYTIC_RULE, type: 'Rule' },
    product: { name: 'wardline', vendor_name: 'wardline', version: r.wardline.version },
  };
  if (first !== null) info.first_seen_time = first;
  if (last !== null) info.last_seen_time = last;
  const attacks = attackTechniques(f);
  if (attacks.length > 0) info.attacks = attacks.map((t) => ({ technique: { uid: t.uid, name: t.name }, tactic: t.tactic, version: ATTACK_VERSION }));
  const ev: Record<string, unknown> = {
    category_uid: CATEGORY_FINDINGS,
    category_name: 'Findings',
    class_uid: cls,
    class_name: CLASS_NAME[cls],
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: cls * 100 + ACTIVITY_CREATE,
    type_name: `${CLASS_NAME[cls]}: Create`,
    severity_id: sev,
    severity: SEVERITY_NAME[sev],
    time: first ?? ms(fallback),
    message: f.title,
    status_id: STATUS_NEW,
    status: 'New',
    metadata: metadata(r, f.id),
    finding_info: info,
    device: d ? ocsfDevice(d) : { type_id: 0, type: 'Unknown', uid: f.device },
  };
  if (first !== null) ev.start_time = first;
  if (last !== null) ev.end_time = last;
  if (cls === CLASS_VULNERABILITY_FINDING) {
    ev.vulnerabilities = vulnerabilities(f, first, last);
  } else if (cls === CLASS_COMPLIANCE_FINDING) {
    const c = COMPLIANCE[f.rule];
    ev.compliance = { standards: c.standards, control: c.control, requirements: c.requirements, status_id: COMPLIANCE_FAIL, status: 'Fail' };
    if (f.remediation) ev.remediation = { desc: f.remediation };
  } else if (f.remediation) {
    ev.remediation = { desc: f.remediation };
  }
  ev.unmapped = {
    rule: f.rule,
    evidence: [...f.evidence].sort((a, b) => a.ts - b.ts || cmpStr(a.file, b.file) || a.packet - b.packet || cmpStr(a.source, b.source)),
    ...(f.cves.length && cls !== CLASS_VULNERABILITY_FINDING ? { cves: f.cves } : {}),
    ...(f.cvss !== undefined ? { cvss: f.cvss } : {}),
    ...(f.kev !== undefined ? { kev: f.kev } : {}),
  };
  return ev;
}

/** OCSF JSON lines: every device (Device Inventory Info), then every finding. */
export function toOcsf(r: ReportView): string {
  const fallback = reportTime(r);
  const idx = deviceIndex(r);
  const lines: string[] = [];
  for (const d of [...r.devices].sort((a, b) => cmpStr(a.id, b.id))) lines.push(JSON.stringify(inventoryEvent(r, d, fallback)));
  const findings = [...r.findings].sort((a, b) => cmpStr(a.device, b.device) || cmpStr(a.rule, b.rule) || cmpStr(a.id, b.id));
  for (const f of findings) lines.push(JSON.stringify(findingEvent(r, f, idx.get(f.device), fallback)));
  return lines.length ? lines.join('\n') + '\n' : '';
}
