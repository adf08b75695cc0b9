// NVD CVE API 2.0 records (https://nvd.nist.gov/developers/vulnerabilities, JSON schema
// cve_api_json_2.0): either one `cve` object per file (as the fkie-cad/nvd-json-data-feeds mirror
// stores them) or an API response `{ format: "NVD_CVE", version: "2.0", vulnerabilities: [{ cve }] }`.
// Kept per CVE: descriptions (English), CVSS v4.0/v3.1/v3.0/v2 base scores (NVD's Primary entry
// first), CWE ids, the CISA KEV fields NVD copies (cisaExploitAdd …) and the applicability
// `configurations` (CPE criteria with version ranges, AND/OR nodes), indexed by vendor:product.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError, malformed } from './errors.js';
import { parseCpe23, type Configuration, type ConfigNode, type CpeMatch } from './cpe.js';
import { readFeedText } from './files.js';

export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

export interface Cvss {
  version: string;
  score: number;
  severity: string;
  vector: string;
  source: string;
}

export interface NvdCve {
  id: string;
  published: string;
  lastModified: string;
  status: string;
  description: string;
  /** Best CVSS (newest version present, NVD's Primary entry preferred). */
  cvss: Cvss | null;
  /** Every CVSS base score given, for reference. */
  scores: Cvss[];
  cwes: string[];
  kev?: { dateAdded: string; dueDate?: string; requiredAction?: string; name?: string };
  configurations: Configuration[];
  file: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The source NVD names its own analysts' scores by. */
const NIST_SOURCE = 'nvd@nist.gov';
const METRIC_KEYS: [string, string][] = [
  ['cvssMetricV40', '4.0'],
  ['cvssMetricV31', '3.1'],
  ['cvssMetricV30', '3.0'],
  ['cvssMetricV2', '2.0'],
];

/** CVSS entries of a `metrics` object, best first. */
function parseMetrics(metrics: unknown, file: string, id: string): Cvss[] {
  if (metrics === undefined) return [];
  if (!isObj(metrics)) throw malformed(file, { record: id }, 'metrics must be an object');
  const out: Cvss[] = [];
  for (const [key, version] of METRIC_KEYS) {
    const list = metrics[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw malformed(file, { record: id }, `metrics.${key} must be a list`);
    // NVD's Primary entry first; among Secondary ones NIST's own assessment (nvd@nist.gov) before
    // the CNA's, as NVD itself shows it (CVE-2020-1472: NIST 10.0, Microsoft 5.5, both Secondary).
    const rank = (m: unknown): number => (isObj(m) && m.type === 'Primary' ? 0 : isObj(m) && m.source === NIST_SOURCE ? 1 : 2);
    const sorted = [...list].sort((a, b) => rank(a) - rank(b));
    for (const m of sorted) {
      const d = isObj(m) ? m.cvssData : undefined;
      if (!isObj(m) || !isObj(d) || typeof d.baseScore !== 'number' || d.baseScore < 0 || d.baseScore > 10) {
        throw malformed(file, { record: id }, `metrics.${key} entry without a cvssData.baseScore between 0 and 10`);
      }
      const sev = typeof d.baseSeverity === 'string' ? d.baseSeverity : typeof m.baseSeverity === 'string' ? m.baseSeverity : '';
      out.push({ version, score: d.baseScore, severity: sev, vector: typeof d.vectorString === 'string' ? d.vectorString : '', source: typeof m.source === 'string' ? m.source : '' });
    }
  }
  return out;
}

const RANGE_KEYS = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;

function parseOperator(v: unknown, file: string, id: string, what: string): 'AND' | 'OR' {
  if (v === undefined) return 'OR';
  if (v !== 'AND' && v !== 'OR') throw malformed(file, { record: id }, `${what} operator must be AND or OR`);
  return v;
}

/** Parses `configurations` (shared with nothing else: NVD's own applicability statements). */
export function parseConfigurations(v: unknown, file: string, id: string): Configuration[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw malformed(file, { record: id }, 'configurations must be a list');
  return v.map((c, ci) => {
    if (!isObj(c) || !Array.isArray(c.nodes)) throw malformed(file, { record: id }, `configurations[${ci}] needs a nodes list`);
    const nodes: ConfigNode[] = c.nodes.map((n: unknown, ni: number) => {
      const at = `configurations[${ci}].nodes[${ni}]`;
      if (!isObj(n) || !Array.isArray(n.cpeMatch)) throw malformed(file, { record: id }, `${at} needs a cpeMatch list`);
      const cpeMatch: CpeMatch[] = n.cpeMatch.map((m: unknown, mi: number) => {
        if (!isObj(m) || typeof m.vulnerable !== 'boolean' || typeof m.criteria !== 'string') {
          throw malformed(file, { record: id }, `${at}.cpeMatch[${mi}] needs vulnerable (boolean) and criteria`);
        }
        const cpe = parseCpe23(m.criteria);
        if (cpe === null) throw malformed(file, { record: id }, `${at}.cpeMatch[${mi}] criteria is not a CPE 2.3 name: ${JSON.stringify(m.criteria)}`);
        const range: CpeMatch['range'] = {};
        for (const k of RANGE_KEYS) {
          const x = m[k];
          if (x === undefined) continue;
          if (typeof x !== 'string' || x.length === 0) throw malformed(file, { record: id }, `${at}.cpeMatch[${mi}].${k} must be a version string`);
          const key = (k.slice('version'.length, 'version'.length + 1).toLowerCase() + k.slice('version'.length + 1)) as keyof CpeMatch['range'];
          range[key] = x;
        }
        return { vulnerable: m.vulnerable, criteria: m.criteria, cpe, range };
      });
      return { operator: parseOperator(n.operator, file, id, at), negate: n.negate === true, cpeMatch };
    });
    return { operator: parseOperator(c.operator, file, id, `configurations[${ci}]`), negate: c.negate === true, nodes };
  });
}

function english(list: unknown): string {
  if (!Array.isArray(list)) return '';
  const en = list.find((d) => isObj(d) && d.lang === 'en') ?? list[0];
  return isObj(en) && typeof en.value === 'string' ? en.value : '';
}

/** Validates one `cve` object of the NVD 2.0 format. */
export function parseNvdCve(c: unknown, file: string): NvdCve {
  if (!isObj(c)) throw malformed(file, {}, 'a CVE record must be an object');
  const id = c.id;
  if (typeof id !== 'string' || !CVE_ID.test(id)) throw malformed(file, {}, `id must be a CVE id, got ${JSON.stringify(id)}`);
  for (const k of ['published', 'lastModified'] as const) {
    if (typeof c[k] !== 'string' || !DATE_PREFIX.test(c[k] as string)) throw malformed(file, { record: id }, `${k} must be an ISO date-time`);
  }
  if (!Array.isArray(c.descriptions)) throw malformed(file, { record: id }, 'descriptions must be a list');
  const scores = parseMetrics(c.metrics, file, id);
  const cwes: string[] = [];
  if (Array.isArray(c.weaknesses)) {
    for (const w of c.weaknesses) {
      if (!isObj(w) || !Array.isArray(w.description)) continue;
      for (const d of w.description) if (isObj(d) && typeof d.value === 'string' && /^CWE-\d+$/.test(d.value) && !cwes.includes(d.value)) cwes.push(d.value);
    }
  }
  const rec: NvdCve = {
    id,
    published: c.published as string,
    lastModified: c.lastModified as string,
    status: typeof c.vulnStatus === 'string' ? c.vulnStatus : '',
    description: english(c.descriptions),
    cvss: scores[0] ?? null,
    scores,
    cwes: cwes.sort(),
    configurations: parseConfigurations(c.configurations, file, id),
    file,
  };
  if (c.cisaExploitAdd !== undefined) {
    if (typeof c.cisaExploitAdd !== 'string' || !DATE_PREFIX.test(c.cisaExploitAdd)) throw malformed(file, { record: id }, 'cisaExploitAdd must be a date');
    rec.kev = { dateAdded: c.cisaExploitAdd.slice(0, 10) };
    if (typeof c.cisaActionDue === 'string') rec.kev.dueDate = c.cisaActionDue.slice(0, 10);
    if (typeof c.cisaRequiredAction === 'string') rec.kev.requiredAction = c.cisaRequiredAction;
    if (typeof c.cisaVulnerabilityName === 'string') rec.kev.name = c.cisaVulnerabilityName;
  }
  return rec;
}

/** True when a parsed JSON document looks like an NVD 2.0 record or API response. */
export function isNvdDocument(doc: unknown): boolean {
  if (!isObj(doc)) return false;
  if (doc.format === 'NVD_CVE' && Array.isArray(doc.vulnerabilities)) return true;
  return typeof doc.id === 'string' && CVE_ID.test(doc.id) && typeof doc.sourceIdentifier === 'string' && 'lastModified' in doc;
}

/** The CVE records of one NVD file (a single record or an API response). */
export function parseNvdDocument(text: string, file: string): NvdCve[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
  if (isObj(doc) && Array.isArray(doc.vulnerabilities)) {
    if (doc.format !== 'NVD_CVE') throw malformed(file, {}, 'an API response must have format "NVD_CVE"');
    return doc.vulnerabilities.map((v: unknown, i: number) => {
      if (!isObj(v) || !isObj(v.cve)) throw malformed(file, { record: `vulnerabilities[${i}]` }, 'each entry needs a cve object');
      return parseNvdCve(v.cve, file);
    });
  }
  return [parseNvdCve(doc, file)];
}

export class NvdIndex {
  /** vendor:product of every vulnerable criterion → CVE ids. */
  private readonly byProduct = new Map<string, string[]>();

  constructor(readonly records: Map<string, NvdCve>) {
    for (const r of [...records.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const seen = new Set<string>();
      for (const cfg of r.configurations) {
        for (const n of cfg.nodes) {
          for (const m of n.cpeMatch) {
            if (!m.vulnerable) continue;
            const k = `${m.cpe.vendor}:${m.cpe.product}`;
            if (seen.has(k)) continue;
            seen.add(k);
            const l = this.byProduct.get(k) ?? [];
            l.push(r.id);
            this.byProduct.set(k, l);
          }
        }
      }
    }
  }

  get(id: string): NvdCve | undefined {
    return this.records.get(id);
  }

  /** CVE ids with a vulnerable criterion naming vendor:product. */
  cvesFor(vendor: string, product: string): readonly string[] {
    return this.byProduct.get(`${vendor}:${product}`) ?? [];
  }

  /** Newest lastModified date (YYYY-MM-DD) of the records. */
  get newest(): string {
    let d = '';
    for (const r of this.records.values()) if (r.lastModified > d) d = r.lastModified;
    return d.slice(0, 10);
  }
}

/** Loads every *.json under `dir` (knowledge/nvd); files counted per record read. */
export function loadNvd(dir: string): { index: NvdIndex; files: Map<string, number> } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    throw new KnowledgeError('kb.missing_file', dir, {}, `cannot list NVD records (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (names.length === 0) throw new KnowledgeError('kb.missing_file', dir, {}, 'no *.json NVD records');
  const records = new Map<string, NvdCve>();
  const files = new Map<string, number>();
  for (const n of names) {
    const { text, file } = readFeedText(dir, n);
    const recs = parseNvdDocument(text, file);
    for (const r of recs) {
      const prev = records.get(r.id);
      if (prev !== undefined) throw malformed(file, { record: r.id }, `CVE also in ${prev.file}`);
      records.set(r.id, r);
    }
    files.set(n, recs.length);
  }
  return { index: new NvdIndex(records), files };
}
