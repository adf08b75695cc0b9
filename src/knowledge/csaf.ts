// CSAF 2.0 security advisories (OASIS CSAF v2.0 §3.1–3.2: document, product_tree,
// vulnerabilities), as CISA publishes its ICS medical advisories (ICSMA). The product tree's
// branches run vendor → product_name (→ product_family) → product_version / product_version_range,
// a leaf's `product` carrying the product_id that vulnerabilities[].product_status
// (known_affected, fixed, known_not_affected …) and remediations[].product_ids refer to.
// Version ranges are VERS strings ("vers:all/*", "vers:generic/>=1.0|<2.0") or, in CISA's
// converted advisories, free text ("<= 2.3.6", "A10 | A11", "2.3.6 and below"); what cannot be
// read is kept as text and matches as "unknown", never as a guess.
import { malformed } from './errors.js';
import { readFeedText } from './files.js';
import { compareVersions } from './version.js';
import { jsonFilesBelow } from './cve5.js';
import { vendorKey } from './names.js';
import type { Tri } from './cpe.js';

interface Constraint {
  op: '=' | '<' | '<=' | '>' | '>=' | '!=';
  v: string;
}

/** An affected-version statement: all versions, a list of constraints, or unreadable text. */
export interface VersionSpec {
  text: string;
  all: boolean;
  constraints: Constraint[] | null;
}

const OPS = /^(<=|>=|!=|<|>|=)?\s*(.+)$/;
const TRAILING_BELOW = /^(.+?)\s+(?:and\s+(?:below|earlier|prior|older|lower)|or\s+(?:earlier|lower|below|prior))$/i;
/** A version-looking token: starts with a letter or digit, no spaces, at least one digit or a short code. */
const VERSIONISH = /^v?[0-9A-Za-z][0-9A-Za-z.\-_()]*$/;

function parseAlternative(s: string): Constraint | 'all' | null {
  let t = s.trim().replace(/\s+/g, ' ');
  if (t === '' || t === '*' || /^all( versions)?$/i.test(t)) return 'all';
  const below = TRAILING_BELOW.exec(t);
  if (below !== null) t = `<= ${below[1]}`;
  const m = OPS.exec(t);
  if (m === null) return null;
  const v = m[2].trim().replace(/^(?:versions?|v)\s*(?=\d)/i, '');
  if (!VERSIONISH.test(v) || !/\d/.test(v)) return null;
  return { op: (m[1] ?? '=') as Constraint['op'], v };
}

/** Reads a product_version / product_version_range name. */
export function parseVersionSpec(text: string, range: boolean): VersionSpec {
  const t = text.trim();
  const vers = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(t);
  const body = vers !== null ? vers[2] : t;
  if (vers !== null && (body === '*' || vers[1] === 'all')) return { text: t, all: true, constraints: null };
  const alts = body.split('|').map((a) => a.trim()).filter((a) => a.length > 0);
  const out: Constraint[] = [];
  for (const a of alts) {
    const c = parseAlternative(a);
    if (c === 'all') return { text: t, all: true, constraints: null };
    if (c === null) return { text: t, all: false, constraints: null };
    // A bare version in a range statement without an operator is an exact version.
    if (!range && c.op !== '=') return { text: t, all: false, constraints: null };
    out.push(c);
  }
  return { text: t, all: false, constraints: out.length > 0 ? out : null };
}

/**
 * The letters that name a product line inside a version ("L" of L81, "U" of 012U000061): the
 * first letter run followed by a digit. Trailing letters (1.0.1g, 2.6A) are part of the number.
 */
function letterPrefix(v: string): string {
  const m = /^[0-9.\s-]*([A-Za-z]+)(?=[0-9])/.exec(v.trim().replace(/^v(?=\d)/i, ''));
  return m === null ? '' : m[1].toLowerCase();
}

/** Does `version` satisfy the statement? Comparators pair up into intervals in order (VERS). */
export function versionMatches(spec: VersionSpec, version: string | null): Tri {
  if (spec.all) return 'yes';
  if (spec.constraints === null || version === null) return 'unknown';
  const vPrefix = letterPrefix(version);
  const cmp = (c: Constraint): boolean => {
    // Lines with their own letter (B. Braun's U61 for the US, L81 elsewhere) compare only
    // within the line.
    const p = letterPrefix(c.v);
    if (p !== vPrefix && p !== '' && vPrefix !== '') return false;
    const r = compareVersions(version, c.v);
    if (r === null) return false;
    switch (c.op) {
      case '=':
        return r === 0;
      case '!=':
        return r !== 0;
      case '<':
        return r < 0;
      case '<=':
        return r <= 0;
      case '>':
        return r > 0;
      case '>=':
        return r >= 0;
    }
  };
  const cs = spec.constraints;
  for (const c of cs) if (c.op === '!=' && !cmp(c)) return 'no';
  let i = 0;
  while (i < cs.length) {
    const c = cs[i];
    if (c.op === '!=') {
      i++;
      continue;
    }
    if (c.op === '=') {
      if (cmp(c)) return 'yes';
      i++;
      continue;
    }
    if (c.op === '>' || c.op === '>=') {
      const next = cs[i + 1];
      if (next !== undefined && (next.op === '<' || next.op === '<=')) {
        if (cmp(c) && cmp(next)) return 'yes';
        i += 2;
        continue;
      }
      if (cmp(c)) return 'yes';
      i++;
      continue;
    }
    // An upper bound alone: everything below it.
    if (cmp(c)) return 'yes';
    i++;
  }
  return 'no';
}

export interface CsafProduct {
  id: string;
  vendor: string;
  vendorKey: string;
  product: string;
  family?: string;
  /** The full product name the advisory gives. */
  name: string;
  version: VersionSpec;
}

export interface CsafVulnerability {
  cve: string | null;
  title: string;
  affected: string[];
  fixed: string[];
  notAffected: string[];
  cvss: number | null;
  remediations: { category: string; details: string; productIds: string[]; url?: string }[];
}

export interface CsafAdvisory {
  id: string;
  title: string;
  releaseDate: string;
  url: string | null;
  products: Map<string, CsafProduct>;
  vulnerabilities: CsafVulnerability[];
  file: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BRANCH_CATEGORIES = new Set(['architecture', 'host_name', 'language', 'legacy', 'patch_level', 'product_family', 'product_name', 'product_version', 'product_version_range', 'service_pack', 'specification', 'vendor']);
const MAX_BRANCH_DEPTH = 30;

export function isCsafDocument(doc: unknown): boolean {
  return isObj(doc) && isObj(doc.document) && typeof doc.document.csaf_version === 'string';
}

function idList(v: unknown, file: string, rec: string, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw malformed(file, { record: rec }, `${what} must be a list of product ids`);
  return [...(v as string[])].sort();
}

export function parseCsaf(text: string, file: string): CsafAdvisory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
  if (!isCsafDocument(doc)) throw malformed(file, {}, 'not a CSAF document: document.csaf_version is required');
  const d = (doc as Obj).document as Obj;
  if (d.csaf_version !== '2.0') throw malformed(file, {}, `csaf_version ${JSON.stringify(d.csaf_version)} is not 2.0`);
  const tr = d.tracking;
  if (!isObj(tr) || typeof tr.id !== 'string' || tr.id.length === 0) throw malformed(file, {}, 'document.tracking.id is required');
  const id = tr.id;
  if (typeof d.title !== 'string') throw malformed(file, { record: id }, 'document.title is required');
  if (typeof tr.current_release_date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(tr.current_release_date)) throw malformed(file, { record: id }, 'document.tracking.current_release_date must be a date-time');
  let url: string | null = null;
  if (Array.isArray(d.references)) {
    const self = d.references.find((r) => isObj(r) && r.category === 'self' && typeof r.url === 'string' && !r.url.endsWith('.json'));
    if (isObj(self)) url = self.url as string;
  }
  const products = new Map<string, CsafProduct>();
  const tree = (doc as Obj).product_tree;
  const walk = (branches: unknown, ctx: { vendor: string; product: string; family?: string }, depth: number, at: string): void => {
    if (!Array.isArray(branches)) throw malformed(file, { record: id }, `${at}.branches must be a list`);
    if (depth > MAX_BRANCH_DEPTH) throw malformed(file, { record: id }, `${at} nests deeper than ${MAX_BRANCH_DEPTH} branches`);
    branches.forEach((b, i) => {
      const here = `${at}.branches[${i}]`;
      if (!isObj(b) || typeof b.category !== 'string' || typeof b.name !== 'string') throw malformed(file, { record: id }, `${here} needs category and name`);
      if (!BRANCH_CATEGORIES.has(b.category)) throw malformed(file, { record: id }, `${here} has unknown category ${JSON.stringify(b.category)}`);
      const next = { ...ctx };
      if (b.category === 'vendor') next.vendor = b.name.trim();
      else if (b.category === 'product_name') next.product = b.name.trim();
      else if (b.category === 'product_family') next.family = b.name.trim();
      if (b.product !== undefined) {
        const p = b.product;
        if (!isObj(p) || typeof p.product_id !== 'string' || typeof p.name !== 'string') throw malformed(file, { record: id }, `${here}.product needs product_id and name`);
        if (products.has(p.product_id)) throw malformed(file, { record: id }, `product_id ${p.product_id} defined twice`);
        const isVersion = b.category === 'product_version' || b.category === 'product_version_range';
        const prod: CsafProduct = {
          id: p.product_id,
          vendor: next.vendor,
          vendorKey: vendorKey(next.vendor),
          product: next.product || next.family || p.name,
          name: p.name,
          version: isVersion ? parseVersionSpec(b.name, b.category === 'product_version_range') : { text: '', all: true, constraints: null },
        };
        if (next.family !== undefined) prod.family = next.family;
        products.set(p.product_id, prod);
      }
      if (b.branches !== undefined) walk(b.branches, next, depth + 1, here);
    });
  };
  if (tree !== undefined) {
    if (!isObj(tree)) throw malformed(file, { record: id }, 'product_tree must be an object');
    if (tree.branches !== undefined) walk(tree.branches, { vendor: '', product: '' }, 0, 'product_tree');
  }
  const vulns: CsafVulnerability[] = [];
  const rawV = (doc as Obj).vulnerabilities;
  if (rawV !== undefined && !Array.isArray(rawV)) throw malformed(file, { record: id }, 'vulnerabilities must be a list');
  (rawV ?? []).forEach((v: unknown, i: number) => {
    const rec = isObj(v) && typeof v.cve === 'string' ? `${id} ${v.cve}` : `${id} vulnerabilities[${i}]`;
    if (!isObj(v)) throw malformed(file, { record: rec }, 'vulnerability must be an object');
    if (v.cve !== undefined && (typeof v.cve !== 'string' || !/^CVE-\d{4}-\d{4,}$/.test(v.cve))) throw malformed(file, { record: rec }, 'cve must be a CVE id');
    const ps = isObj(v.product_status) ? v.product_status : {};
    const affected = [...idList(ps.known_affected, file, rec, 'known_affected'), ...idList(ps.first_affected, file, rec, 'first_affected'), ...idList(ps.last_affected, file, rec, 'last_affected')];
    const fixed = [...idList(ps.fixed, file, rec, 'fixed'), ...idList(ps.first_fixed, file, rec, 'first_fixed')];
    const notAffected = idList(ps.known_not_affected, file, rec, 'known_not_affected');
    for (const pid of [...affected, ...fixed, ...notAffected]) if (!products.has(pid)) throw malformed(file, { record: rec }, `product_status names ${pid}, which the product tree does not define`);
    let cvss: number | null = null;
    if (Array.isArray(v.scores)) {
      for (const s of v.scores) {
        const c = isObj(s) ? (isObj(s.cvss_v3) ? s.cvss_v3 : isObj(s.cvss_v2) ? s.cvss_v2 : null) : null;
        if (c !== null && typeof c.baseScore === 'number' && (cvss === null || c.baseScore > cvss)) cvss = c.baseScore;
      }
    }
    const remediations: CsafVulnerability['remediations'] = [];
    if (Array.isArray(v.remediations)) {
      for (const r of v.remediations) {
        if (!isObj(r) || typeof r.category !== 'string' || typeof r.details !== 'string') throw malformed(file, { record: rec }, 'each remediation needs category and details');
        const x: CsafVulnerability['remediations'][number] = { category: r.category, details: r.details, productIds: idList(r.product_ids, file, rec, 'remediation product_ids') };
        if (typeof r.url === 'string') x.url = r.url;
        remediations.push(x);
      }
    }
    vulns.push({ cve: typeof v.cve === 'string' ? v.cve : null, title: typeof v.title === 'string' ? v.title : '', affected: [...new Set(affected)].sort(), fixed, notAffected, cvss, remediations });
  });
  return { id, title: d.title, releaseDate: tr.current_release_date.slice(0, 10), url, products, vulnerabilities: vulns, file };
}

export function loadCsaf(dir: string): { advisories: CsafAdvisory[]; files: Map<string, number> } {
  const advisories: CsafAdvisory[] = [];
  const files = new Map<string, number>();
  const seen = new Map<string, string>();
  for (const rel of jsonFilesBelow(dir, 'CSAF advisories')) {
    const { text, file } = readFeedText(dir, rel);
    const a = parseCsaf(text, file);
    const prev = seen.get(a.id);
    if (prev !== undefined) throw malformed(file, { record: a.id }, `advisory also in ${prev}`);
    seen.set(a.id, file);
    advisories.push(a);
    files.set(rel, 1);
  }
  advisories.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { advisories, files };
}
