// Facts the analyzers' events state about one subject — an address ("ip:10.1.2.3") or a MAC
// ("mac:00:11:22:33:44:55") — each with the packet that carried it, before subjects are merged
// into devices. A fact is kept once per (fact, source, value): the first packet that said it.
// Subjects and facts per subject are bounded; what is dropped is counted.
import type { Evidence } from '../report/model.js';

export const MAX_SUBJECTS = 100_000;
export const MAX_FACTS_PER_SUBJECT = 256;
/** Longest value kept (banners and descriptions are cut, never a whole payload). */
export const MAX_VALUE_CHARS = 200;

/** An operating system claim, as one signal states it. */
export interface OsClaim {
  name: string;
  version: string | null;
  /** Windows, Linux, macOS, iOS, Android, BSD, Unix, Cisco IOS … */
  family: string;
  /** 0..1: how much this signal alone is worth. */
  confidence: number;
  /** Windows version numbers, for the release and end-of-life mapping. */
  windows?: { major: number; minor: number; build: number; servicePack?: number; server?: boolean };
  /** endoflife.date product and cycle, when the claim names one directly (macOS 10.10, Debian 9). */
  eol?: { product: string; cycle: string };
  /** A TTL-only claim: the families its initial TTL is common for. */
  supports?: readonly string[];
}

export interface Fact extends Evidence {
  /** Stated by the subject's own packets (a DNS answer about an address is not). */
  self: boolean;
  /** Arrival order, so "first" is well defined across files. */
  seq: number;
  os?: OsClaim;
}

export interface FactInput {
  fact: string;
  value: string;
  source: string;
  self?: boolean;
  os?: OsClaim;
}

/** Facts a subject holds before membership checks switch from a scan to an index. */
const SCAN_LIMIT = 12;

export class Subject {
  readonly facts: Fact[] = [];
  /** source → value → fact name(s), built once the subject has many facts (most have few). */
  private index: Map<string, Map<string, string | string[]>> | null = null;
  dropped = 0;
  constructor(readonly key: string) {}

  has(fact: string, source: string, value: string): boolean {
    if (this.index === null) {
      for (const f of this.facts) if (f.value === value && f.source === source && f.fact === fact) return true;
      return false;
    }
    const v = this.index.get(source)?.get(value);
    return v !== undefined && (v === fact || (typeof v !== 'string' && v.includes(fact)));
  }

  mark(fact: string, source: string, value: string): void {
    if (this.index === null) {
      if (this.facts.length < SCAN_LIMIT) return;
      this.index = new Map();
      for (const f of this.facts) this.mark(f.fact, f.source, f.value);
    }
    let m = this.index.get(source);
    if (m === undefined) {
      m = new Map();
      this.index.set(source, m);
    }
    const v = m.get(value);
    if (v === undefined) m.set(value, fact);
    else if (typeof v === 'string') m.set(value, [v, fact]);
    else v.push(fact);
  }
}

/** Printable, trimmed, bounded text (evidence values come from the network). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function cleanValue(v: string): string {
  const n = v.length;
  if (n > 0 && n <= MAX_VALUE_CHARS && v.charCodeAt(0) > 32 && v.charCodeAt(n - 1) > 32 && !CONTROL.test(v)) return v;
  let s = v.length > MAX_VALUE_CHARS * 2 ? v.slice(0, MAX_VALUE_CHARS * 2) : v;
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS) : s;
}

export class FactStore {
  readonly subjects = new Map<string, Subject>();
  readonly dropped = { subjects: 0, facts: 0 };
  private seq = 0;

  subject(key: string, create = true): Subject | null {
    let s = this.subjects.get(key);
    if (s !== undefined || !create) return s ?? null;
    if (this.subjects.size >= MAX_SUBJECTS) {
      this.dropped.subjects++;
      return null;
    }
    s = new Subject(key);
    this.subjects.set(key, s);
    return s;
  }

  /**
   * Records a fact about `subject` once; false when it was known already or had no room.
   * `lazyOs` is called only for a new fact (claims cost regex work; events repeat).
   */
  add(subject: string, f: FactInput, file: string, packet: number, ts: number, lazyOs?: (value: string) => OsClaim | null): boolean {
    return this.put(subject, f.fact, f.source, f.value, f.self !== false, file, packet, ts, f.os, lazyOs);
  }

  /** add() without the input object (the event path calls this one). */
  put(subject: string, factName: string, source: string, raw: string, self: boolean, file: string, packet: number, ts: number, os?: OsClaim, lazyOs?: (value: string) => OsClaim | null): boolean {
    const value = cleanValue(raw);
    if (value === '') return false;
    const s = this.subject(subject);
    if (s === null || s.has(factName, source, value)) return false;
    if (s.facts.length >= MAX_FACTS_PER_SUBJECT) {
      s.dropped++;
      this.dropped.facts++;
      return false;
    }
    s.mark(factName, source, value);
    const fact: Fact = { fact: factName, value, source, file, packet, ts: Math.round(ts * 1e6) / 1e6, self, seq: this.seq++ };
    const claim = os ?? lazyOs?.(value) ?? undefined;
    if (claim !== undefined && claim !== null) fact.os = claim;
    s.facts.push(fact);
    return true;
  }

  /** Whether `subject` already holds this fact. */
  has(subject: string, fact: string, source: string, value: string): boolean {
    const s = this.subjects.get(subject);
    return s !== undefined && s.has(fact, source, cleanValue(value));
  }

  /** Number of facts of kind `fact` from `source` the subject holds (to bound repeated signals). */
  count(subject: string, fact: string, source: string): number {
    const s = this.subjects.get(subject);
    if (s === undefined) return 0;
    let n = 0;
    for (const f of s.facts) if (f.fact === fact && f.source === source) n++;
    return n;
  }
}
