// The risk formula of docs/risk.md: a device's exposure is the sum of the points of the kinds of
// finding it has (risks table), a KEV CVE that applies by version, and its worst confirmed CVSS;
// it is then weighted by how critical the device's category is to patient care, capped at 100,
// and mapped to a level. Every term is listed in risk.factors with its points and why.
import type { Category, Device, Finding, RiskFactor, RiskLevel } from '../report/model.js';
import type { RuleContext } from './context.js';
import { RISK_BY_ID } from './risks.js';
import { deviceCves } from './vulnmatch.js';

/** Weight of a device category (patient harm if it fails or is tampered with). */
export const CRITICALITY: Record<Category, number> = {
  infusion_pump: 1.3,
  patient_monitor: 1.3,
  imaging: 1.3,
  pacs: 1.2,
  lab_analyzer: 1.2,
  medical_other: 1.2,
  server: 1.1,
  industrial: 1.1,
  building_automation: 1.1,
  workstation: 1,
  network: 1,
  printer: 0.9,
  camera: 0.9,
  phone: 0.9,
  iot_other: 0.9,
  unknown: 1,
};

/** Points per CVSS point of the worst CVE that applies by version (so 10.0 gives 20). */
export const CVSS_POINTS_PER_UNIT = 2;
/** Rules scored by a fixed number of points, in the order factors are listed. */
export const RULE_FACTORS: readonly string[] = ['cryptomining', 'threat-intel', 'eol-os', 'default-credentials', 'internet-exposure', 'cleartext-credentials', 'phi-cleartext', 'medical-advisory', 'smbv1', 'smb-signing', 'segment-mixed', 'trunk-negotiation', 'gateway-port-mapping', 'dicom-open-access', 'rogue-ap', 'remote-access', 'p2p-file-sharing', 'encrypted-dns', 'internet-communication', 'insecure-update', 'weak-wifi', 'weak-eap', 'weak-tls', 'weak-ssh', 'weak-vpn', 'weak-kerberos', 'weak-ntlm', 'rdp-security', 'poisonable-name-resolution', 'cleartext-protocol'];
export const MAX_SCORE = 100;

export function level(score: number): RiskLevel {
  if (score >= 70) return 'critical';
  if (score >= 45) return 'high';
  if (score >= 20) return 'medium';
  return 'low';
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

/** The device's risk from its findings. */
export function scoreDevice(ctx: RuleContext, d: Device, findings: readonly Finding[]): Device['risk'] {
  const factors: RiskFactor[] = [];
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  for (const rule of RULE_FACTORS) {
    const list = byRule.get(rule);
    if (list === undefined) continue;
    const r = RISK_BY_ID.get(rule)!;
    if (rule === 'medical-advisory') {
      factors.push({ id: rule, points: r.points, why: `${plural(list.length, 'ICS medical advisory')}: ${list.map((f) => f.advisory).join(', ')}` });
      continue;
    }
    factors.push({ id: rule, points: r.points, why: list.length === 1 ? list[0].title : `${list[0].title} (+${list.length - 1} more)` });
  }
  const cves = deviceCves(ctx, d).filter((m) => m.result === 'yes');
  const kev = cves.filter((m) => m.kev);
  if (kev.length > 0) {
    factors.unshift({ id: 'known-exploited-vulnerability', points: RISK_BY_ID.get('known-exploited-vulnerability')!.points, why: `${plural(kev.length, 'CISA KEV CVE')} by version: ${kev.slice(0, 4).map((m) => m.cve).join(', ')}${kev.length > 4 ? ', …' : ''}` });
  }
  let worst: { score: number; what: string } | null = null;
  for (const m of cves) if (m.cvss !== null && (worst === null || m.cvss > worst.score)) worst = { score: m.cvss, what: `${m.cve} (CVSS ${m.cvssVersion} ${m.cvss})` };
  for (const f of byRule.get('medical-advisory') ?? []) {
    // Only advisories whose version was confirmed weigh their CVSS.
    if (f.cvss !== undefined && f.confirmed === true && (worst === null || f.cvss > worst.score)) worst = { score: f.cvss, what: `${f.advisory} (CVSS ${f.cvss})` };
  }
  if (worst !== null) factors.push({ id: 'cvss', points: Math.round(worst.score * CVSS_POINTS_PER_UNIT), why: `worst CVSS that applies by version: ${worst.what}` });
  const exposure = Math.min(MAX_SCORE, factors.reduce((a, f) => a + f.points, 0));
  const w = CRITICALITY[d.category] ?? 1;
  const weighted = Math.min(MAX_SCORE, Math.round(exposure * w));
  if (weighted !== exposure) factors.push({ id: 'criticality', points: weighted - exposure, why: `${d.category.replace(/_/g, ' ')}: exposure weighted ×${w}` });
  return { score: weighted, level: level(weighted), factors };
}
