// What every finding rule reads (devices, their observations, the knowledge base, --as-of) and
// how a rule states a finding: a deterministic id from rule + device + key, severity and
// remediation from the risks table unless the rule has a reason to differ.
import { createHash } from 'node:crypto';
import type { KnowledgeBase } from '../knowledge/kb.js';
import { relative } from 'node:path';
import { knowledgeEvidence, type Device, type Evidence, type Finding, type Segment, type Severity } from '../report/model.js';
import type { HostObs, Observations } from './observe.js';
import { risk } from './risks.js';

/** Evidence items kept per finding. */
export const MAX_EVIDENCE = 8;

export interface RuleContext {
  devices: readonly Device[];
  byId: ReadonlyMap<string, Device>;
  /** Address → device. */
  byAddr: ReadonlyMap<string, Device>;
  obs: Observations;
  kb: KnowledgeBase;
  /** YYYY-MM-DD the end-of-life judgement is made for. */
  asOf: string;
  segments: readonly Segment[];
  /** Observations of all the device's addresses. */
  hostsOf(d: Device): HostObs[];
}

export type Rule = (ctx: RuleContext) => Finding[];

export function findingId(rule: string, device: string, key: string): string {
  return 'F' + createHash('sha256').update(`${rule}\0${device}\0${key}`).digest('hex').slice(0, 16);
}

export interface FindingInput {
  key: string;
  detail: string;
  evidence: Evidence[];
  title?: string;
  severity?: Severity;
  remediation?: string;
  cves?: string[];
  cvss?: number;
  kev?: boolean;
  advisory?: string;
}

function evidenceOrder(a: Evidence, b: Evidence): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.packet - b.packet || (a.fact < b.fact ? -1 : a.fact > b.fact ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/** Sorted, de-duplicated, bounded evidence. */
export function tidyEvidence(ev: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of [...ev].sort(evidenceOrder)) {
    const k = `${e.fact}|${e.value}|${e.source}|${e.file}|${e.packet}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

/** Evidence from a file of the knowledge base, cited by its path within the knowledge folder. */
export function kbEvidence(ctx: RuleContext, fact: string, value: string, source: string, file: string): Evidence {
  return knowledgeEvidence(fact, value, source, relative(ctx.kb.dir, file).split('\\').join('/'));
}

export function makeFinding(rule: string, device: Device, f: FindingInput): Finding {
  const r = risk(rule);
  const out: Finding = {
    id: findingId(rule, device.id, f.key),
    rule,
    severity: f.severity ?? r.severity,
    device: device.id,
    title: f.title ?? r.title,
    detail: f.detail,
    evidence: tidyEvidence(f.evidence),
    remediation: f.remediation ?? r.remediation,
    cves: [...new Set(f.cves ?? [])].sort(),
  };
  if (f.cvss !== undefined) out.cvss = f.cvss;
  if (f.kev !== undefined) out.kev = f.kev;
  if (f.advisory !== undefined) out.advisory = f.advisory;
  return out;
}

/** "a, b, c and 4 more". */
export function listText(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
