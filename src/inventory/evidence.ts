// The evidence a device carries: at most `max` entries, chosen strongest first — the facts that
// decided its OS, category, vendor and model (and every OS claim, so conflicts stay visible),
// then identity facts (addresses, names, titles, roles), then the rest — each tier in order of
// arrival. The kept entries are listed in capture order: time, file, packet, then fact.
import type { Evidence } from '../report/model.js';
import type { Fact } from './facts.js';

export const MAX_EVIDENCE = 64;

const IDENTITY_FACTS = new Set(['hostname', 'ip', 'mac', 'ae_title', 'application', 'udi', 'model', 'manufacturer', 'vendor', 'role', 'modality', 'service', 'device_type', 'platform', 'description']);

function tier(f: Fact, used: ReadonlySet<Fact>): number {
  if (used.has(f) || f.os !== undefined || f.fact === 'os') return 0;
  if (IDENTITY_FACTS.has(f.fact)) return 1;
  return 2;
}

export function selectEvidence(facts: readonly Fact[], used: ReadonlySet<Fact>, max = MAX_EVIDENCE): Evidence[] {
  const kept = facts.length <= max ? [...facts] : [...facts].sort((a, b) => tier(a, used) - tier(b, used) || a.seq - b.seq).slice(0, max);
  kept.sort((a, b) => a.ts - b.ts || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.packet - b.packet || cmp(a.fact, b.fact) || cmp(a.source, b.source) || cmp(a.value, b.value));
  return kept.map((f) => ({ fact: f.fact, value: f.value, source: f.source, file: f.file, packet: f.packet, ts: f.ts }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
