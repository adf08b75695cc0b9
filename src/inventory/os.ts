// Fuses every OS claim of a device into one answer. Claims are grouped by family; a family's
// score is the probability that at least one of its claims is right, 1 − Π(1 − cᵢ), treating
// signals as independent (TTL claims add to every family their initial TTL is common for).
// The best family wins; its most specific claim (a version, then the highest confidence, then
// the first seen) names the OS. Windows versions are mapped to releases with kb.windowsRelease
// and releases to end-of-support dates with kb.eolOf, judged as of `asOf`.
import type { KnowledgeBase } from '../knowledge/kb.js';
import type { DeviceOs } from '../report/model.js';
import type { Fact, OsClaim } from './facts.js';
import { PRE_2000_WINDOWS } from './os-parse.js';

export interface OsResult {
  os: DeviceOs | null;
  /** The facts whose claims support the answer (kept first in the evidence). */
  used: Fact[];
}

export interface OsContext {
  /** The device shows server-edition traits (domain controller services, "Server" strings). */
  serverHint: boolean;
  /** ISO date end of support is judged against. */
  asOf: string;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A Windows release: one cycle, or two when the version alone cannot tell client from server. */
export interface WindowsOs {
  name: string;
  cycles: { product: string; cycle: string }[];
}

/**
 * Server LTSC builds that share their number with a client release (Windows 10 1607 / Server
 * 2016, 1809 / 2019, Windows 11 24H2 / Server 2025); NT 6.x versions are shared the same way
 * (6.1.7601 is Windows 7 SP1 or Server 2008 R2 SP1).
 */
const SHARED_SERVER_BUILDS = new Set([14393, 17763, 26100]);

export function windowsOs(kb: KnowledgeBase, w: NonNullable<OsClaim['windows']>, serverHint: boolean): WindowsOs {
  const { major, minor, build } = w;
  const legacy = PRE_2000_WINDOWS[`${major}.${minor}`];
  if (legacy !== undefined) return { name: legacy, cycles: [] };
  const server = serverHint || w.server === true;
  if (major === 10 && minor === 0 && build === 0) return { name: server ? 'Windows Server 2016 or later' : 'Windows 10 or 11', cycles: [] };
  const opts = w.servicePack !== undefined ? { servicePack: w.servicePack } : undefined;
  const one = (srv: boolean): WindowsOs | null => {
    const r = kb.windowsRelease(major, minor, build, srv, opts);
    return r === null ? null : { name: r.name, cycles: [{ product: r.product, cycle: r.cycle }] };
  };
  if (server) return one(true) ?? { name: `Windows ${major}.${minor}`, cycles: [] };
  const client = kb.windowsRelease(major, minor, build, false, opts);
  const srv = kb.windowsRelease(major, minor, build, true, opts);
  // A build only Windows Server has (20348 is Server 2022) says server on its own.
  if (major === 10 && srv !== null && !srv.approximate && (client === null || client.approximate)) return one(true)!;
  if (client === null) return { name: `Windows ${major}.${minor}`, cycles: [] };
  const distinct = srv !== null && (srv.product !== client.product || srv.cycle !== client.cycle);
  const shared = distinct && (major === 10 ? SHARED_SERVER_BUILDS.has(build) : true);
  if (!shared || srv === null) return { name: client.name, cycles: [{ product: client.product, cycle: client.cycle }] };
  return {
    name: `${client.name} or ${srv.name}`,
    cycles: [
      { product: client.product, cycle: client.cycle },
      { product: srv.product, cycle: srv.cycle },
    ],
  };
}

function endOf(kb: KnowledgeBase, product: string, cycle: string, asOf: string): { eol: boolean | null; date: string | null } | null {
  const info = kb.eolOf(product, cycle);
  if (info === null) return null;
  if (info.eol !== null) return { eol: asOf > info.eol, date: info.eol };
  return { eol: info.ended ?? null, date: null };
}

export function fuseOs(kb: KnowledgeBase, facts: readonly Fact[], ctx: OsContext): OsResult {
  const claims = facts.filter((f) => f.os !== undefined);
  if (claims.length === 0) return { os: null, used: [] };
  const families = new Map<string, { miss: number; facts: Fact[] }>();
  const add = (family: string, f: Fact): void => {
    let g = families.get(family);
    if (g === undefined) {
      g = { miss: 1, facts: [] };
      families.set(family, g);
    }
    g.miss *= 1 - f.os!.confidence;
    g.facts.push(f);
  };
  for (const f of claims) if (f.os!.supports === undefined) add(f.os!.family, f);
  for (const f of claims) {
    const sup = f.os!.supports;
    if (sup === undefined) continue;
    let joined = false;
    for (const fam of sup) {
      if (families.has(fam) && fam !== f.os!.family) {
        add(fam, f);
        joined = true;
      }
    }
    if (!joined || families.has(f.os!.family)) add(f.os!.family, f);
  }
  let bestFamily = '';
  let bestScore = -1;
  for (const [fam, g] of [...families.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const score = 1 - g.miss;
    // A family held up only by TTL guesses loses to any family with a real claim.
    const real = g.facts.some((f) => f.os!.supports === undefined);
    const eff = real ? score : score / 10;
    if (eff > bestScore) {
      bestScore = eff;
      bestFamily = fam;
    }
  }
  const g = families.get(bestFamily)!;
  const specific = [...g.facts].sort((a, b) => {
    const ca = a.os!;
    const cb = b.os!;
    const va = ca.version !== null ? 1 : 0;
    const vb = cb.version !== null ? 1 : 0;
    if (ca.supports !== undefined || cb.supports !== undefined) return (ca.supports !== undefined ? 1 : 0) - (cb.supports !== undefined ? 1 : 0) || a.seq - b.seq;
    return cb.confidence - ca.confidence || vb - va || a.seq - b.seq;
  });
  const top = specific[0].os!;
  const confidence = round2(1 - g.miss);
  let name = top.name;
  let version = top.version;
  let cycles: { product: string; cycle: string }[] = [];
  if (bestFamily === 'Windows') {
    // The most trusted Windows claim names the version; a build number from another claim of
    // the same major.minor refines it (SMB's "Windows 5.1" and NTLM's 5.1.2600 agree).
    const wins = specific.filter((f) => f.os!.windows !== undefined);
    const pick = wins[0];
    if (pick !== undefined) {
      let w = pick.os!.windows!;
      if (w.build === 0) {
        const refine = wins.find((f) => f.os!.windows!.build > 0 && f.os!.windows!.major === w.major && f.os!.windows!.minor === w.minor);
        if (refine !== undefined) w = { ...refine.os!.windows!, ...(w.server !== undefined ? { server: w.server } : {}), ...(w.servicePack !== undefined ? { servicePack: w.servicePack } : {}) };
      }
      const serverHint = ctx.serverHint || wins.some((f) => f.os!.windows!.server === true);
      const r = windowsOs(kb, w, serverHint);
      name = r.name;
      version = w.build > 0 ? `${w.major}.${w.minor}.${w.build}` : `${w.major}.${w.minor}`;
      cycles = r.cycles;
    }
  } else if (top.eol !== undefined) {
    cycles = [top.eol];
  }
  let eol: boolean | null = null;
  let eolDate: string | null = null;
  if (cycles.length > 0) {
    // With two candidate releases, end of support is stated only when both agree.
    const ends = cycles.map((c) => endOf(kb, c.product, c.cycle, ctx.asOf));
    if (ends.every((e) => e !== null && e.eol !== null) && new Set(ends.map((e) => e!.eol)).size === 1) {
      eol = ends[0]!.eol;
      const dates = ends.map((e) => e!.date).filter((d): d is string => d !== null).sort();
      eolDate = dates.length === ends.length ? (eol ? dates[dates.length - 1] : dates[0]) : null;
    }
  } else if (bestFamily === 'Windows' && version !== null && PRE_2000_WINDOWS[version.split('.').slice(0, 2).join('.')] !== undefined) {
    eol = true;
  }
  const os: DeviceOs = { name, version, family: bestFamily, eol, eol_date: eolDate, confidence };
  return { os, used: g.facts };
}
