// The classification rules file (knowledge/rules/classify.rules, format in docs/inventory.md):
// one rule per line, `WEIGHT CONDITION [&& CONDITION]… -> ASSIGNMENT…`. A condition tests the
// device's facts by key (an evidence `source` such as dicom.modality, or a `fact` such as
// service): `key = "text"` (equal, ignoring case), `key ~ /regex/` (JavaScript regex, ignoring
// case), `key` (any value), `!key` (no value), `!key = "text"` / `!key ~ /regex/` (no value
// that matches). Assignments: `category=<category>`,
// `vendor="text"`, `model="text"`; `$0`…`$9` in text are the first regex condition's match.
// '#' starts a comment. A malformed line is refused with the file, line and reason, like every
// other feed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError, malformed } from '../knowledge/errors.js';
import type { Category } from '../report/model.js';

export const RULES_FILE = join('rules', 'classify.rules');

export const CATEGORIES: readonly Category[] = [
  'imaging',
  'pacs',
  'infusion_pump',
  'patient_monitor',
  'lab_analyzer',
  'medical_other',
  'workstation',
  'server',
  'printer',
  'camera',
  'phone',
  'network',
  'building_automation',
  'industrial',
  'iot_other',
  'unknown',
];

const MAX_WEIGHT = 100;
const MAX_RULES = 10_000;

export type Condition =
  | { kind: 'eq'; key: string; value: string }
  | { kind: 're'; key: string; re: RegExp; text: string }
  | { kind: 'has'; key: string }
  | { kind: 'not'; key: string; test?: Condition };

export interface Rule {
  line: number;
  weight: number;
  conditions: Condition[];
  category?: Category;
  vendor?: string;
  model?: string;
  /** The rule as written (for category_reason). */
  text: string;
}

/** Facts of one device indexed by key (source and fact name both). */
export type FactIndex = Map<string, { value: string; ref: number }[]>;

export interface Firing {
  rule: Rule;
  /** Match of the first regex condition ([] when none). */
  groups: string[];
  /** References (caller's numbering) of the facts that satisfied the conditions. */
  refs: number[];
  /** "key=value" of the first satisfying fact of each positive condition. */
  because: string[];
}

const KEY = /^!?[a-z0-9_][a-z0-9_.-]*$/;

function readQuoted(s: string, i: number, file: string, line: number): { text: string; end: number } {
  let out = '';
  let j = i + 1;
  while (j < s.length && s[j] !== '"') {
    if (s[j] === '\\' && j + 1 < s.length) j++;
    out += s[j++];
  }
  if (j >= s.length) throw malformed(file, { line }, 'unterminated "quoted text"');
  return { text: out, end: j + 1 };
}

function readRegex(s: string, i: number, file: string, line: number): { re: RegExp; text: string; end: number } {
  let j = i + 1;
  let src = '';
  while (j < s.length && s[j] !== '/') {
    if (s[j] === '\\' && j + 1 < s.length) {
      src += s[j] + s[j + 1];
      j += 2;
      continue;
    }
    src += s[j++];
  }
  if (j >= s.length) throw malformed(file, { line }, 'unterminated /regex/');
  try {
    return { re: new RegExp(src, 'i'), text: `/${src}/`, end: j + 1 };
  } catch (e) {
    throw malformed(file, { line }, `bad regex /${src}/: ${(e as Error).message}`);
  }
}

function parseCondition(s: string, file: string, line: number): Condition {
  const t = s.trim();
  const m = /^(!?[a-z0-9_][a-z0-9_.-]*)\s*(.*)$/i.exec(t);
  if (m === null) throw malformed(file, { line }, `condition ${JSON.stringify(t)} must start with a key such as dicom.modality`);
  const key = m[1].toLowerCase();
  const rest = m[2].trim();
  if (!KEY.test(key)) throw malformed(file, { line }, `bad key ${JSON.stringify(m[1])}`);
  if (key.startsWith('!')) {
    if (rest === '') return { kind: 'not', key: key.slice(1) };
    return { kind: 'not', key: key.slice(1), test: parseCondition(t.slice(1), file, line) };
  }
  if (rest === '') return { kind: 'has', key };
  if (rest.startsWith('=')) {
    const v = rest.slice(1).trim();
    if (!v.startsWith('"')) throw malformed(file, { line }, `value after = must be "quoted"`);
    const q = readQuoted(v, 0, file, line);
    if (v.slice(q.end).trim() !== '') throw malformed(file, { line }, `unexpected text after ${JSON.stringify(q.text)}`);
    return { kind: 'eq', key, value: q.text.toLowerCase() };
  }
  if (rest.startsWith('~')) {
    const v = rest.slice(1).trim();
    if (!v.startsWith('/')) throw malformed(file, { line }, 'value after ~ must be a /regex/');
    const r = readRegex(v, 0, file, line);
    if (v.slice(r.end).trim() !== '') throw malformed(file, { line }, `unexpected text after ${r.text}`);
    return { kind: 're', key, re: r.re, text: r.text };
  }
  throw malformed(file, { line }, `expected = "text", ~ /regex/ or nothing after ${key}`);
}

/** Splits on a separator outside "quotes" and /regexes/. */
function splitOutside(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q !== null) {
      cur += ch;
      if (ch === '\\' && i + 1 < s.length) cur += s[++i];
      else if (ch === q) q = null;
      continue;
    }
    if (ch === '"' || (ch === '/' && /[~]\s*$/.test(cur))) {
      q = ch;
      cur += ch;
      continue;
    }
    if (s.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseRules(text: string, file: string): Rule[] {
  const rules: Rule[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    // A '#' outside "text" and /regex/ starts a comment.
    const t = splitOutside(lines[n], '#')[0].trim();
    if (t === '') continue;
    if (rules.length >= MAX_RULES) throw malformed(file, { line }, `more than ${MAX_RULES} rules`);
    const parts = splitOutside(t, '->');
    if (parts.length !== 2) throw malformed(file, { line }, 'a rule is WEIGHT CONDITION [&& CONDITION]... -> ASSIGNMENT...');
    const lhs = parts[0].trim();
    const wm = /^(\d+)\s+(.*)$/.exec(lhs);
    if (wm === null) throw malformed(file, { line }, 'a rule starts with its weight (a whole number)');
    const weight = Number(wm[1]);
    if (weight < 1 || weight > MAX_WEIGHT) throw malformed(file, { line }, `weight must be 1..${MAX_WEIGHT}`);
    const conditions = splitOutside(wm[2], '&&').map((c) => parseCondition(c, file, line));
    if (!conditions.some((c) => c.kind !== 'not')) throw malformed(file, { line }, 'a rule needs at least one positive condition');
    const rule: Rule = { line, weight, conditions, text: t };
    let rhs = parts[1].trim();
    if (rhs === '') throw malformed(file, { line }, 'nothing after ->');
    while (rhs !== '') {
      const am = /^(category|vendor|model)=/.exec(rhs);
      if (am === null) throw malformed(file, { line }, `expected category=, vendor= or model= at ${JSON.stringify(rhs.slice(0, 20))}`);
      const field = am[1] as 'category' | 'vendor' | 'model';
      if (rule[field] !== undefined) throw malformed(file, { line }, `${field} assigned twice`);
      rhs = rhs.slice(am[0].length);
      let value: string;
      if (rhs.startsWith('"')) {
        const q = readQuoted(rhs, 0, file, line);
        value = q.text;
        rhs = rhs.slice(q.end);
      } else {
        const vm = /^\S+/.exec(rhs)!;
        value = vm[0];
        rhs = rhs.slice(value.length);
      }
      rhs = rhs.trim();
      if (field === 'category') {
        if (!(CATEGORIES as readonly string[]).includes(value) || value === 'unknown') throw malformed(file, { line }, `unknown category ${JSON.stringify(value)} (one of ${CATEGORIES.slice(0, -1).join(', ')})`);
        rule.category = value as Category;
      } else {
        if (value === '') throw malformed(file, { line }, `${field} is empty`);
        rule[field] = value;
      }
    }
    rules.push(rule);
  }
  return rules;
}

export function loadRules(kbDir: string): Rule[] {
  const file = join(kbDir, RULES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnowledgeError('kb.missing_file', file, {}, `cannot read the classification rules (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseRules(text, file);
}

/** Replaces $0…$9 with the regex match. */
export function expand(template: string, groups: readonly string[]): string {
  return template.replace(/\$(\d)/g, (_, d: string) => groups[Number(d)] ?? '').trim();
}

function valueMatches(c: Condition, value: string): boolean {
  if (c.kind === 'eq') return value.toLowerCase() === c.value;
  if (c.kind === 're') return c.re.test(value);
  return true;
}

/** Rules grouped by the key of their first positive condition, so a device only tries rules it can satisfy. */
export class RuleIndex {
  private readonly byKey = new Map<string, Rule[]>();
  constructor(readonly rules: readonly Rule[]) {
    for (const r of rules) {
      const c = r.conditions.find((x) => x.kind !== 'not')!;
      const l = this.byKey.get(c.key);
      if (l === undefined) this.byKey.set(c.key, [r]);
      else l.push(r);
    }
  }

  /** Rules whose first positive condition's key the device has, in file order. */
  candidates(idx: FactIndex): Rule[] {
    const out: Rule[] = [];
    for (const k of idx.keys()) {
      const l = this.byKey.get(k);
      if (l !== undefined) for (const r of l) out.push(r);
    }
    return out.sort((a, b) => a.line - b.line);
  }
}

const indexes = new WeakMap<readonly Rule[], RuleIndex>();

/** Every rule whose conditions the device's facts satisfy, in file order. */
export function evaluate(all: readonly Rule[], idx: FactIndex): Firing[] {
  let ri = indexes.get(all);
  if (ri === undefined) {
    ri = new RuleIndex(all);
    indexes.set(all, ri);
  }
  const out: Firing[] = [];
  for (const rule of ri.candidates(idx)) {
    let ok = true;
    let groups: string[] | null = null;
    const refs: number[] = [];
    const because: string[] = [];
    for (const c of rule.conditions) {
      const list = idx.get(c.key);
      if (c.kind === 'not') {
        const t = c.test;
        if (list !== undefined && list.length > 0 && (t === undefined || list.some((f) => valueMatches(t, f.value)))) ok = false;
      } else if (list === undefined || list.length === 0) {
        ok = false;
      } else if (c.kind === 'has') {
        refs.push(list[0].ref);
        because.push(`${c.key}=${list[0].value}`);
      } else {
        let hit = false;
        for (const f of list) {
          if (c.kind === 'eq') {
            if (f.value.toLowerCase() !== c.value) continue;
          } else {
            const m = c.re.exec(f.value);
            if (m === null) continue;
            if (groups === null) groups = Array.from(m, (x) => x ?? '');
          }
          hit = true;
          refs.push(f.ref);
          because.push(`${c.key}=${f.value}`);
          break;
        }
        if (!hit) ok = false;
      }
      if (!ok) break;
    }
    if (ok) out.push({ rule, groups: groups ?? [], refs, because });
  }
  return out;
}
