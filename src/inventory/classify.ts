// Category, vendor and model from the rules file. Each firing rule adds its weight to its
// category (a rule counts once however many facts satisfy it); the category with the highest
// total wins (ties: the higher single weight, then the name). Vendor and model come from the
// highest-weight firing rule that assigns them (ties: the earlier line), the vendor otherwise
// from the MAC's IEEE registration. The category's confidence is its share of all category
// weight, damped for small totals: total / (sum of all categories + DAMPING).
import type { Category } from '../report/model.js';
import type { Fact } from './facts.js';
import { hostLabel } from './derive.js';
import { evaluate, expand, type FactIndex, type Firing, type Rule } from './rules.js';

const DAMPING = 4;
/** Firing rules quoted in category_reason. */
const REASON_RULES = 3;
const round2 = (x: number): number => Math.round(x * 100) / 100;

export interface Classification {
  category: Category;
  reason: string;
  confidence: number;
  vendor: string | null;
  vendorFromRule: boolean;
  model: string | null;
  /** Facts that decided category, vendor and model (kept first in the evidence). */
  used: Set<Fact>;
}

/** Indexes facts by fact name and by source, plus extra (key, value) pairs that are not evidence. */
export function indexFacts(facts: readonly Fact[], extra: readonly [string, string][]): { idx: FactIndex; byRef: (Fact | null)[] } {
  const idx: FactIndex = new Map();
  const byRef: (Fact | null)[] = [];
  const put = (k: string, value: string, ref: number): void => {
    const key = k.toLowerCase();
    let l = idx.get(key);
    if (l === undefined) {
      l = [];
      idx.set(key, l);
    }
    l.push({ value, ref });
  };
  for (const f of facts) {
    const ref = byRef.length;
    byRef.push(f);
    put(f.fact, f.value, ref);
    if (f.source !== f.fact) put(f.source, f.value, ref);
    // A name the device gave itself, as "hostname.self": its first label, for the rules that
    // read default names (vendor + MAC digits, Ubuntu's "<user>-<model>", an owner's iPhone).
    if (f.self && f.fact === 'hostname') put('hostname.self', hostLabel(f.value), ref);
  }
  for (const [k, v] of extra) {
    const ref = byRef.length;
    byRef.push(null);
    put(k, v, ref);
  }
  return { idx, byRef };
}

export function classify(rules: readonly Rule[], facts: readonly Fact[], extra: readonly [string, string][], summarise: () => string): Classification {
  const { idx, byRef } = indexFacts(facts, extra);
  const fired = evaluate(rules, idx);
  const score = new Map<Category, { total: number; max: number; firings: Firing[] }>();
  let all = 0;
  for (const f of fired) {
    const c = f.rule.category;
    if (c === undefined) continue;
    let s = score.get(c);
    if (s === undefined) {
      s = { total: 0, max: 0, firings: [] };
      score.set(c, s);
    }
    s.total += f.rule.weight;
    s.max = Math.max(s.max, f.rule.weight);
    s.firings.push(f);
    all += f.rule.weight;
  }
  const used = new Set<Fact>();
  const mark = (f: Firing): void => {
    for (const r of f.refs) {
      const fact = byRef[r];
      if (fact !== null && fact !== undefined) used.add(fact);
    }
  };
  const ranked = [...score.entries()].sort((a, b) => b[1].total - a[1].total || b[1].max - a[1].max || (a[0] < b[0] ? -1 : 1));
  let category: Category = 'unknown';
  let reason: string;
  let confidence = 0;
  if (ranked.length === 0) {
    const summary = summarise();
    reason = `no classification rule matched${summary !== '' ? `; seen: ${summary}` : ''}`;
  } else {
    const [cat, s] = ranked[0];
    category = cat;
    confidence = round2(s.total / (all + DAMPING));
    const quoted = [...s.firings].sort((a, b) => b.rule.weight - a.rule.weight || a.rule.line - b.rule.line);
    for (const f of quoted) mark(f);
    const parts = quoted.slice(0, REASON_RULES).map((f) => `${f.because.join(' & ')} (rule line ${f.rule.line}, weight ${f.rule.weight})`);
    reason = `${cat}, score ${s.total}: ${parts.join('; ')}${quoted.length > REASON_RULES ? `; +${quoted.length - REASON_RULES} more` : ''}`;
    if (ranked.length > 1) reason += `; runner-up ${ranked[1][0]}, score ${ranked[1][1].total}`;
  }
  const pick = (field: 'vendor' | 'model'): { value: string; firing: Firing } | null => {
    let best: Firing | null = null;
    let value = '';
    for (const f of fired) {
      const t = f.rule[field];
      if (t === undefined) continue;
      const v = expand(t, f.groups);
      if (v === '') continue;
      if (best === null || f.rule.weight > best.rule.weight) {
        best = f;
        value = v;
      }
    }
    return best === null ? null : { value, firing: best };
  };
  const v = pick('vendor');
  const m = pick('model');
  if (v !== null) mark(v.firing);
  if (m !== null) mark(m.firing);
  let vendor = v?.value ?? null;
  let vendorFromRule = v !== null;
  if (vendor === null) {
    const oui = facts.find((f) => f.fact === 'vendor' && f.source === 'mac.oui');
    if (oui !== undefined) {
      vendor = oui.value;
      vendorFromRule = false;
      used.add(oui);
    }
  }
  return { category, reason, confidence, vendor, vendorFromRule, model: m?.value ?? null, used };
}
