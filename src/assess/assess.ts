// assess(): devices (from the inventory) + observations (observe.ts) + knowledge base + --as-of
// → the report's devices with risk, findings, segments and metrics (spec/PRODUCT.md report.json).
// Pure and deterministic: the same inputs give the same output, sorted, with no clock read.
import type { KnowledgeBase } from '../knowledge/kb.js';
import type { Device, Finding, Metrics, Segment } from '../report/model.js';
import { type Rule, type RuleContext } from './context.js';
import { deviceFromHost } from './hosts.js';
import { judgeEol } from './identity.js';
import { emptyTraffic, type HostObs, type Observations, type Traffic } from './observe.js';
import { severityRank } from './risks.js';
import { scoreDevice } from './scoring.js';
import { inferSegments, isMedical } from './segments.js';
import { cleartextCredentials } from './rules/cleartext-credentials.js';
import { cleartextProtocol } from './rules/cleartext-protocol.js';
import { defaultCredentials } from './rules/default-credentials.js';
import { eolOs } from './rules/eol-os.js';
import { knownExploitedVulnerability } from './rules/known-exploited-vulnerability.js';
import { medicalAdvisory } from './rules/medical-advisory.js';
import { phiCleartext } from './rules/phi-cleartext.js';
import { segmentMixed } from './rules/segment-mixed.js';
import { smbv1 } from './rules/smbv1.js';
import { smbSigning } from './rules/smb-signing.js';
import { vulnerability } from './rules/vulnerability.js';
import { weakTls } from './rules/weak-tls.js';
import { weakKerberos } from './rules/weak-kerberos.js';
import { weakVpn } from './rules/weak-vpn.js';
import { weakNtlm } from './rules/weak-ntlm.js';
import { rdpSecurity } from './rules/rdp-security.js';
import { weakWifi } from './rules/weak-wifi.js';
import { rogueAp } from './rules/rogue-ap.js';
import { trunkNegotiation } from './rules/trunk-negotiation.js';
import { gatewayPortMapping } from './rules/gateway-port-mapping.js';
import { dicomOpenAccess } from './rules/dicom-open-access.js';
import { weakSsh } from './rules/weak-ssh.js';
import { weakEap } from './rules/weak-eap.js';
import { remoteAccess } from './rules/remote-access.js';
import { cryptomining } from './rules/cryptomining.js';
import { p2pFileSharing } from './rules/p2p-file-sharing.js';
import { encryptedDns } from './rules/encrypted-dns.js';
import { poisonableNameResolution } from './rules/name-resolution.js';
import { threatIntel } from './rules/threat-intel.js';
import { insecureUpdate } from './rules/insecure-update.js';
import { internetExposure } from './rules/internet-exposure.js';
import { internetCommunication } from './rules/internet-communication.js';

/** Every rule, by id. */
export const RULES: Readonly<Record<string, Rule>> = {
  'eol-os': eolOs,
  vulnerability,
  'known-exploited-vulnerability': knownExploitedVulnerability,
  'medical-advisory': medicalAdvisory,
  'cleartext-protocol': cleartextProtocol,
  'cleartext-credentials': cleartextCredentials,
  'default-credentials': defaultCredentials,
  'phi-cleartext': phiCleartext,
  smbv1,
  'smb-signing': smbSigning,
  'weak-tls': weakTls,
  'weak-ssh': weakSsh,
  'weak-kerberos': weakKerberos,
  'weak-vpn': weakVpn,
  'weak-ntlm': weakNtlm,
  'rdp-security': rdpSecurity,
  'weak-wifi': weakWifi,
  'rogue-ap': rogueAp,
  'trunk-negotiation': trunkNegotiation,
  'gateway-port-mapping': gatewayPortMapping,
  'dicom-open-access': dicomOpenAccess,
  'weak-eap': weakEap,
  'remote-access': remoteAccess,
  cryptomining,
  'p2p-file-sharing': p2pFileSharing,
  'encrypted-dns': encryptedDns,
  'poisonable-name-resolution': poisonableNameResolution,
  'threat-intel': threatIntel,
  'insecure-update': insecureUpdate,
  'internet-exposure': internetExposure,
  'internet-communication': internetCommunication,
  'segment-mixed': segmentMixed,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface AssessInput {
  devices: readonly Device[];
  observations: Observations;
  kb: KnowledgeBase;
  /** YYYY-MM-DD for end-of-life judgements; default the knowledge base's date. */
  asOf?: string;
  /** Traffic totals to use instead of the observations' (e.g. from a store). */
  traffic?: Traffic;
  /** Add a minimal device for observed addresses no device lists (default true). */
  includeUnknownHosts?: boolean;
  /** Which observed addresses may become such devices (default: all). */
  hostFilter?: (addr: string) => boolean;
  /** Rules to run (default all). */
  rules?: readonly string[];
  /**
   * The devices were made for this call and nobody else holds them: they are scored in place
   * instead of copied first (the copy of a large inventory cost a noticeable share of a run).
   */
  ownsDevices?: boolean;
}

export interface AssessResult {
  asOf: string;
  devices: Device[];
  findings: Finding[];
  segments: Segment[];
  metrics: Metrics;
}

export class AssessError extends Error {
  constructor(
    readonly code: 'assess.bad_as_of' | 'assess.unknown_rule',
    message: string,
  ) {
    super(message);
    this.name = 'AssessError';
  }
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

function cloneDevice(d: Device): Device {
  return structuredClone(d);
}

export function assess(input: AssessInput): AssessResult {
  const kb = input.kb;
  const asOf = input.asOf ?? kb.date;
  if (!DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) throw new AssessError('assess.bad_as_of', `--as-of must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  const obs = input.observations;
  const devices = input.ownsDevices === true ? [...input.devices] : input.devices.map(cloneDevice);
  const byAddr = new Map<string, Device>();
  for (const d of [...devices].sort((a, b) => (a.id < b.id ? -1 : 1))) for (const ip of d.ips) if (!byAddr.has(ip)) byAddr.set(ip, d);
  if (input.includeUnknownHosts !== false) {
    // The hosts no device holds, on the site's networks, in address order. Most observed
    // addresses are remote ones: they are left out before sorting. An address that never sent a packet (a broadcast
    // address, a host that never answered) is not known to be a device, as in the inventory.
    const extra: HostObs[] = [];
    for (const h of obs.hosts.values()) {
      if (h.sentPacket === 0 || byAddr.has(h.addr)) continue;
      if (input.hostFilter !== undefined && !input.hostFilter(h.addr)) continue;
      extra.push(h);
    }
    extra.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
    for (const h of extra) {
      const d = deviceFromHost(h, kb);
      devices.push(d);
      byAddr.set(h.addr, d);
    }
  }
  devices.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(devices.map((d) => [d.id, d]));
  const segments = inferSegments(devices, obs);
  const hostsMemo = new Map<Device, HostObs[]>();
  const ctx: RuleContext = {
    devices,
    byId,
    byAddr,
    obs,
    kb,
    asOf,
    segments,
    // Every rule asks for a device's hosts: found once per device.
    hostsOf: (d) => {
      let hs = hostsMemo.get(d);
      if (hs === undefined) {
        hs = d.ips.map((ip) => obs.hosts.get(ip)).filter((h): h is HostObs => h !== undefined && byAddr.get(h.addr) === d);
        hostsMemo.set(d, hs);
      }
      return hs;
    },
  };
  const ruleIds = input.rules ?? Object.keys(RULES);
  const findings: Finding[] = [];
  for (const id of ruleIds) {
    const r = RULES[id];
    if (r === undefined) throw new AssessError('assess.unknown_rule', `no rule ${id}; rules: ${Object.keys(RULES).join(', ')}`);
    // A loop, not push(...): a rule's findings on a large network would overflow the call stack.
    for (const f of r(ctx)) findings.push(f);
  }
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byDevice = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = byDevice.get(f.device);
    if (l === undefined) byDevice.set(f.device, [f]);
    else l.push(f);
  }
  for (const d of devices) {
    const j = judgeEol(d, kb, asOf);
    if (d.os !== null && j !== null) {
      d.os.eol = j.eol;
      d.os.eol_date = j.date;
    }
    d.risk = scoreDevice(ctx, d, byDevice.get(d.id) ?? []);
    const t = emptyTraffic();
    for (const h of ctx.hostsOf(d)) for (const k of Object.keys(t) as (keyof Traffic)[]) t[k] += h.traffic[k];
    if (t.clear_flows + t.encrypted_flows + t.unknown_flows > 0) d.traffic = t;
  }
  return { asOf, devices, findings, segments, metrics: metrics(devices, findings, segments, input.traffic ?? obs.totals) };
}

/** The Unit 42 report card for this network (docs/risk.md "Metrics"). */
export function metrics(devices: readonly Device[], findings: readonly Finding[], segments: readonly Segment[], t: Traffic): Metrics {
  const withRule = (rule: string) => new Set(findings.filter((f) => f.rule === rule).map((f) => f.device));
  const eol = withRule('eol-os');
  const knownOs = devices.filter((d) => d.os !== null);
  const imaging = knownOs.filter((d) => d.category === 'imaging');
  return {
    devices: devices.length,
    medical_devices: devices.filter(isMedical).length,
    eol_os_pct: pct(knownOs.filter((d) => eol.has(d.id)).length, knownOs.length),
    imaging_eol_os_pct: pct(imaging.filter((d) => eol.has(d.id)).length, imaging.length),
    medium_high_risk_pct: pct(devices.filter((d) => d.risk.level !== 'low').length, devices.length),
    unencrypted_bytes_pct: pct(t.clear_bytes, t.clear_bytes + t.encrypted_bytes),
    unencrypted_flows_pct: pct(t.clear_flows, t.clear_flows + t.encrypted_flows),
    mixed_segments_pct: pct(segments.filter((s) => s.mixed).length, segments.length),
    cleartext_credential_devices: withRule('cleartext-credentials').size,
    default_credential_devices: withRule('default-credentials').size,
    internet_exposed_devices: withRule('internet-exposure').size,
    internet_connected_medical_devices: devices.filter((d) => isMedical(d) && withRule('internet-communication').has(d.id)).length,
  };
}
