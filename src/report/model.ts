// The report model of spec/PRODUCT.md "report.json": the shapes the inventory, assessment,
// store and renderers share. Field names are the contract; extend, never rename.

/** Why a fact is believed: the protocol field, and the packet that carried it. */
export interface Evidence {
  /** What is claimed, e.g. "os", "hostname", "vendor", "cleartext-password". */
  fact: string;
  /** The value claimed (never a password or a patient value). */
  value: string;
  /** The protocol field it came from, e.g. "dhcp.option55", "smb.native_os", "ntlm.version". */
  source: string;
  /** Capture file path as given on the command line. */
  file: string;
  /** 1-based packet number in `file`. */
  packet: number;
  /** Packet timestamp, seconds since the epoch (microsecond precision). */
  ts: number;
}

/**
 * Evidence from a knowledge-base file (an NVD record, an end-of-life table, an advisory) rather
 * than a packet: packet 0 and time 0 say so. It dates nothing (see fromCapture).
 */
export function knowledgeEvidence(fact: string, value: string, source: string, file: string): Evidence {
  return { fact, value, source, file, packet: 0, ts: 0 };
}

/** Whether evidence is a packet of a capture (packets count from 1), not knowledge-base evidence. */
export function fromCapture(e: { packet: number }): boolean {
  return e.packet > 0;
}

export type Category =
  | 'imaging'
  | 'pacs'
  | 'infusion_pump'
  | 'patient_monitor'
  | 'lab_analyzer'
  | 'medical_other'
  | 'workstation'
  | 'server'
  | 'printer'
  | 'camera'
  | 'phone'
  | 'network'
  | 'building_automation'
  | 'industrial'
  | 'iot_other'
  | 'unknown';

export const MEDICAL_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['imaging', 'pacs', 'infusion_pump', 'patient_monitor', 'lab_analyzer', 'medical_other']);
export const IOT_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['printer', 'camera', 'phone', 'building_automation', 'industrial', 'iot_other']);
export const IT_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['workstation', 'server']);

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface DeviceOs {
  name: string;
  version: string | null;
  family: string;
  /** True when past its vendor end of support as of the report's date. */
  eol: boolean | null;
  eol_date: string | null;
  /** 0..1 */
  confidence?: number;
}

export interface RiskFactor {
  id: string;
  points: number;
  why: string;
}

export interface Device {
  /** Stable id: "mac:aa:bb:cc:dd:ee:ff" for local devices, "ip:10.1.2.3" for hosts behind a router. */
  id: string;
  mac: string | null;
  ips: string[];
  hostnames: string[];
  vendor: string | null;
  model: string | null;
  category: Category;
  /** Why the category (or "unknown") was chosen. */
  category_reason?: string;
  medical: boolean;
  os: DeviceOs | null;
  software: string[];
  /** Services offered: "tcp/443 ssl", "udp/161 snmp" … */
  services: string[];
  /** Protocols spoken (as client or server). */
  protocols: string[];
  risk: { score: number; level: RiskLevel; factors: RiskFactor[] };
  evidence: Evidence[];
  /** 0..1 confidence of the identity facts as a whole. */
  confidence?: number;
  first_seen?: number;
  last_seen?: number;
  vlans?: number[];
  /** Payload bytes and flows in clear, encrypted, or of unidentified protocols (assessment). */
  traffic?: { clear_bytes: number; encrypted_bytes: number; unknown_bytes: number; clear_flows: number; encrypted_flows: number; unknown_flows: number };
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface Finding {
  /** Stable id: hash of rule + device + distinguishing key. */
  id: string;
  rule: string;
  severity: Severity;
  /** Device id the finding is on. */
  device: string;
  title: string;
  detail: string;
  evidence: Evidence[];
  remediation: string;
  cves: string[];
  /** Optional extras: CVSS, KEV due date, advisory id … */
  cvss?: number;
  /** CVSS version of `cvss` ("3.1", "3.0", "2.0", "4.0"), when known. */
  cvss_version?: string;
  kev?: boolean;
  advisory?: string;
  /** Vulnerability and advisory findings: false when the device's version could not be confirmed. */
  confirmed?: boolean;
}

export interface Segment {
  id: string;
  cidr?: string;
  vlan?: number;
  devices: string[];
  medical_devices: string[];
  it_devices: string[];
  iot_devices?: string[];
  mixed: boolean;
}

export interface Metrics {
  devices: number;
  medical_devices: number;
  eol_os_pct: number;
  imaging_eol_os_pct: number;
  medium_high_risk_pct: number;
  unencrypted_bytes_pct: number;
  unencrypted_flows_pct: number;
  mixed_segments_pct: number;
  cleartext_credential_devices: number;
  default_credential_devices: number;
  /** Devices that answered connections from Internet addresses (internet-exposure). */
  internet_exposed_devices: number;
  /** Medical devices that connect to Internet hosts (internet-communication). */
  internet_connected_medical_devices: number;
}
