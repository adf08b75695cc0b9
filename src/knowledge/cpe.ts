// CPE 2.3 formatted strings (NISTIR 7695 §6.2: "cpe:2.3:part:vendor:product:version:update:
// edition:language:sw_edition:target_sw:target_hw:other", `\` escapes, `*` ANY, `-` NA) and the
// matching of a device's identities against NVD applicability statements (NVD CVE API 2.0
// `configurations`: nodes of cpeMatch criteria joined by AND/OR, optional negate, version ranges).
//
// Matching answers yes / no / unknown rather than a boolean: "unknown" when the device's product
// matches but its version (or update) is not known precisely enough to decide, so a caller can
// refuse to report a CVE for a version known to be outside a range without guessing about the
// versions it cannot see.
import { compareVersions, describeRange, hasBounds, inRange, type VersionRange } from './version.js';

export interface Cpe {
  part: string;
  vendor: string;
  product: string;
  version: string;
  update: string;
  edition: string;
  language: string;
  swEdition: string;
  targetSw: string;
  targetHw: string;
  other: string;
}

const FIELDS = 11;

/** Parses a CPE 2.3 formatted string; null when it is not one. Values are unescaped and lower-case. */
export function parseCpe23(s: string): Cpe | null {
  if (!s.startsWith('cpe:2.3:')) return null;
  const vals: string[] = [];
  let cur = '';
  for (let i = 'cpe:2.3:'.length; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else if (ch === ':') {
      vals.push(cur);
      cur = '';
    } else cur += ch;
  }
  vals.push(cur);
  if (vals.length !== FIELDS || !/^[aoh*]$/.test(vals[0])) return null;
  const v = vals.map((x) => x.toLowerCase());
  return { part: v[0], vendor: v[1], product: v[2], version: v[3], update: v[4], edition: v[5], language: v[6], swEdition: v[7], targetSw: v[8], targetHw: v[9], other: v[10] };
}

/**
 * What a device is believed to run, as a CPE-like name. `version` is "-" for products whose name
 * already pins the release (windows_10_1903, windows_7) and null when unknown; `build` is the
 * fine-grained version ranges are compared with (10.0.18362); `partial` says later components of
 * it are unknown (a build number without its revision).
 */
export interface Identity {
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  version: string | null;
  update?: string | null;
  build?: string | null;
  partial?: boolean;
  /** Where the identity came from, for evidence ("os", "software: OpenSSL/1.0.1e", "smb.dialect"). */
  source: string;
  /** One of several releases the device may run: its matches may apply, never by identity. */
  uncertain?: boolean;
}

export type Tri = 'yes' | 'no' | 'unknown';

/** One cpeMatch criterion of an NVD configuration node. */
export interface CpeMatch {
  vulnerable: boolean;
  criteria: string;
  cpe: Cpe;
  range: VersionRange;
}

export interface ConfigNode {
  operator: 'AND' | 'OR';
  negate: boolean;
  cpeMatch: CpeMatch[];
}

export interface Configuration {
  operator: 'AND' | 'OR';
  negate: boolean;
  nodes: ConfigNode[];
}

function tri(a: Tri, b: Tri, and: boolean): Tri {
  if (and) {
    if (a === 'no' || b === 'no') return 'no';
    if (a === 'unknown' || b === 'unknown') return 'unknown';
    return 'yes';
  }
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'no';
}

function negateTri(t: Tri): Tri {
  return t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'unknown';
}

function sameValue(criterion: string, value: string, partial: boolean): Tri {
  if (criterion === value) return 'yes';
  const c = compareVersions(value, criterion, partial);
  if (c === 0) return 'yes';
  if (c === null) return 'unknown';
  return 'no';
}

/** Does identity `id` fall under criterion `m`? */
export function matchCriterion(m: CpeMatch, id: Identity): Tri {
  const c = m.cpe;
  if (c.part !== '*' && c.part !== id.part) return 'no';
  if (c.vendor !== '*' && c.vendor !== id.vendor) return 'no';
  if (c.product !== '*' && c.product !== id.product) return 'no';
  let result: Tri = 'yes';
  // Version.
  if (c.version === '*') {
    if (hasBounds(m.range)) {
      const v = id.build ?? id.version;
      if (v === null || v === undefined || v === '-') result = 'unknown';
      else {
        const r = inRange(v, m.range, id.partial === true);
        result = r === null ? 'unknown' : r ? 'yes' : 'no';
      }
    }
  } else if (c.version === '-') {
    if (id.version === null) result = 'unknown';
    else if (id.version !== '-') return 'no';
  } else {
    if (id.version === null) result = 'unknown';
    else if (id.version === '-') {
      // The identity names a release product; a criterion with a specific version of it can
      // only be compared with the build.
      if (id.build === null || id.build === undefined) result = 'unknown';
      else result = sameValue(c.version, id.build, id.partial === true);
    } else {
      result = sameValue(c.version, id.version, id.partial === true);
    }
    if (result === 'no') return 'no';
  }
  if (result === 'no') return 'no';
  // Update (service pack). Other attributes (edition, architecture …) are not visible on the wire.
  if (c.update !== '*') {
    const u = id.update;
    if (u === undefined || u === null) result = tri(result, 'unknown', true);
    else if (u !== c.update) return 'no';
  }
  return result === 'yes' && id.uncertain === true ? 'unknown' : result;
}

export interface NodeMatch {
  result: Tri;
  /** Vulnerable criteria that matched (yes or unknown), with the identity they matched. */
  hits: { criteria: string; range: string; identity: Identity; result: Tri }[];
}

/**
 * Linux distributions as NVD names them. A distribution listed as vulnerable means its package of
 * the affected software was (Debian 9 for Samba's Zerologon, Ubuntu for glibc's getaddrinfo):
 * the release a host runs says nothing of whether that package is installed or patched, so such
 * a criterion is no evidence about the host. BSDs and macOS ship such components in the base OS
 * and are matched as usual.
 */
const DISTRIBUTION = /^(debian:debian_linux|canonical:ubuntu_linux|fedoraproject:fedora|redhat:(enterprise_linux|linux)[\w]*|opensuse:[\w]+|suse:(linux_enterprise|suse_linux)[\w]*|novell:(suse_linux|opensuse)[\w]*|oracle:linux|centos:centos|amazon:linux[\w]*|almalinux:almalinux|rocky:rocky_linux|mageia:mageia|gentoo:linux|archlinux:arch_linux)$/;

/** A vulnerable criterion that only names a Linux distribution release (see DISTRIBUTION). */
export function distributionOnly(m: CpeMatch): boolean {
  return m.vulnerable && m.cpe.part === 'o' && DISTRIBUTION.test(`${m.cpe.vendor}:${m.cpe.product}`);
}

function matchNode(n: ConfigNode, ids: readonly Identity[], hits: NodeMatch['hits']): Tri {
  let acc: Tri = n.operator === 'AND' ? 'yes' : 'no';
  for (const m of n.cpeMatch) {
    if (distributionOnly(m)) {
      acc = tri(acc, 'no', n.operator === 'AND');
      continue;
    }
    let best: Tri = 'no';
    let bestId: Identity | null = null;
    for (const id of ids) {
      const r = matchCriterion(m, id);
      if (r === 'yes' || (r === 'unknown' && best === 'no')) {
        best = r;
        bestId = id;
      }
      if (best === 'yes') break;
    }
    if (best !== 'no' && m.vulnerable && bestId !== null) hits.push({ criteria: m.criteria, range: describeRange(m.range), identity: bestId, result: best });
    acc = tri(acc, best, n.operator === 'AND');
  }
  return n.negate ? negateTri(acc) : acc;
}

/** Evaluates one configuration against a device's identities. */
export function matchConfiguration(cfg: Configuration, ids: readonly Identity[]): NodeMatch {
  const hits: NodeMatch['hits'] = [];
  let acc: Tri = cfg.operator === 'AND' ? 'yes' : 'no';
  for (const n of cfg.nodes) acc = tri(acc, matchNode(n, ids, hits), cfg.operator === 'AND');
  if (cfg.negate) acc = negateTri(acc);
  // A configuration applies only through a vulnerable criterion (the others are platforms).
  if (acc !== 'no' && !hits.some((h) => h.result !== 'no')) acc = 'no';
  return { result: acc, hits: acc === 'no' ? [] : hits };
}

/** The best answer over all configurations of a CVE: yes beats unknown beats no. */
export function matchConfigurations(cfgs: readonly Configuration[], ids: readonly Identity[]): NodeMatch {
  let best: NodeMatch = { result: 'no', hits: [] };
  for (const cfg of cfgs) {
    const r = matchConfiguration(cfg, ids);
    if (r.result === 'yes') return r;
    if (r.result === 'unknown' && best.result === 'no') best = r;
  }
  return best;
}
