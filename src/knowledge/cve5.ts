// CVE JSON 5 records (CVE Record Format 5.x, https://github.com/CVEProject/cve-schema): the CNA
// container's `affected` products (vendor, product, versions with status and lessThan /
// lessThanOrEqual ranges, defaultStatus, cpes), metrics and solutions, and the ADP containers —
// notably CISA's (providerMetadata.shortName "CISA-ADP", cisagov/vulnrichment): SSVC decision
// points, CVSS where the CNA gave none, and a `kev` entry when the CVE is in the KEV catalog.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KnowledgeError, malformed } from './errors.js';
import { parseCpe23, type Cpe } from './cpe.js';
import { readFeedText } from './files.js';
import { CVE_ID, type Cvss } from './nvd.js';

export interface Cve5Version {
  version: string;
  status: 'affected' | 'unaffected' | 'unknown';
  versionType?: string;
  lessThan?: string;
  lessThanOrEqual?: string;
}

export interface Cve5Affected {
  vendor: string;
  product: string;
  versions: Cve5Version[];
  defaultStatus: 'affected' | 'unaffected' | 'unknown';
  cpes: Cpe[];
  /** Which container listed it ("cna" or the ADP's short name). */
  from: string;
}

export interface Ssvc {
  exploitation?: string;
  automatable?: string;
  technicalImpact?: string;
}

export interface Cve5Record {
  id: string;
  state: string;
  dateUpdated: string;
  title: string;
  description: string;
  cvss: Cvss | null;
  affected: Cve5Affected[];
  solutions: string[];
  ssvc?: Ssvc;
  kev?: { dateAdded: string };
  file: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CVSS_KEYS: [string, string][] = [
  ['cvssV4_0', '4.0'],
  ['cvssV3_1', '3.1'],
  ['cvssV3_0', '3.0'],
  ['cvssV2_0', '2.0'],
];

function metricsCvss(metrics: unknown, source: string): Cvss[] {
  if (!Array.isArray(metrics)) return [];
  const out: Cvss[] = [];
  for (const [key, version] of CVSS_KEYS) {
    for (const m of metrics) {
      const d = isObj(m) ? m[key] : undefined;
      if (isObj(d) && typeof d.baseScore === 'number') {
        out.push({ version, score: d.baseScore, severity: typeof d.baseSeverity === 'string' ? d.baseSeverity : '', vector: typeof d.vectorString === 'string' ? d.vectorString : '', source });
      }
    }
  }
  return out;
}

function english(list: unknown): string {
  if (!Array.isArray(list)) return '';
  const en = list.find((d) => isObj(d) && typeof d.lang === 'string' && d.lang.startsWith('en')) ?? list[0];
  return isObj(en) && typeof en.value === 'string' ? en.value : '';
}

const STATUS = new Set(['affected', 'unaffected', 'unknown']);

function parseAffected(list: unknown, file: string, id: string, from: string): Cve5Affected[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw malformed(file, { record: id }, `${from}.affected must be a list`);
  return list.map((a, i) => {
    const at = `${from}.affected[${i}]`;
    if (!isObj(a)) throw malformed(file, { record: id }, `${at} must be an object`);
    const cpes: Cpe[] = [];
    if (Array.isArray(a.cpes)) for (const s of a.cpes) if (typeof s === 'string') {
      const c = parseCpe23(s);
      if (c !== null) cpes.push(c);
    }
    if ((typeof a.vendor !== 'string' || typeof a.product !== 'string') && cpes.length === 0) {
      throw malformed(file, { record: id }, `${at} needs vendor and product (or cpes)`);
    }
    const versions: Cve5Version[] = [];
    if (a.versions !== undefined) {
      if (!Array.isArray(a.versions)) throw malformed(file, { record: id }, `${at}.versions must be a list`);
      a.versions.forEach((v: unknown, j: number) => {
        if (!isObj(v) || typeof v.version !== 'string' || typeof v.status !== 'string' || !STATUS.has(v.status)) {
          throw malformed(file, { record: id }, `${at}.versions[${j}] needs version and status (affected, unaffected or unknown)`);
        }
        const out: Cve5Version = { version: v.version.trim(), status: v.status as Cve5Version['status'] };
        if (typeof v.versionType === 'string') out.versionType = v.versionType;
        if (typeof v.lessThan === 'string') out.lessThan = v.lessThan.trim();
        if (typeof v.lessThanOrEqual === 'string') out.lessThanOrEqual = v.lessThanOrEqual.trim();
        versions.push(out);
      });
    }
    const ds = typeof a.defaultStatus === 'string' && STATUS.has(a.defaultStatus) ? (a.defaultStatus as Cve5Affected['defaultStatus']) : 'unknown';
    return { vendor: typeof a.vendor === 'string' ? a.vendor.trim() : '', product: typeof a.product === 'string' ? a.product.trim() : '', versions, defaultStatus: ds, cpes, from };
  });
}

export function isCve5Document(doc: unknown): boolean {
  return isObj(doc) && doc.dataType === 'CVE_RECORD' && isObj(doc.cveMetadata);
}

export function parseCve5(text: string, file: string): Cve5Record {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(doc) || doc.dataType !== 'CVE_RECORD') throw malformed(file, {}, 'dataType must be "CVE_RECORD"');
  if (typeof doc.dataVersion !== 'string' || !doc.dataVersion.startsWith('5.')) throw malformed(file, {}, 'dataVersion must be 5.x');
  const meta = doc.cveMetadata;
  if (!isObj(meta) || typeof meta.cveId !== 'string' || !CVE_ID.test(meta.cveId)) throw malformed(file, {}, 'cveMetadata.cveId must be a CVE id');
  const id = meta.cveId;
  if (meta.state !== 'PUBLISHED' && meta.state !== 'REJECTED') throw malformed(file, { record: id }, 'cveMetadata.state must be PUBLISHED or REJECTED');
  const containers = doc.containers;
  if (!isObj(containers) || !isObj(containers.cna)) throw malformed(file, { record: id }, 'containers.cna is required');
  const cna = containers.cna;
  const rec: Cve5Record = {
    id,
    state: meta.state,
    dateUpdated: typeof meta.dateUpdated === 'string' ? meta.dateUpdated.slice(0, 10) : '',
    title: typeof cna.title === 'string' ? cna.title.trim() : '',
    description: english(cna.descriptions),
    cvss: null,
    affected: meta.state === 'PUBLISHED' ? parseAffected(cna.affected, file, id, 'cna') : [],
    solutions: Array.isArray(cna.solutions) ? cna.solutions.map((s) => (isObj(s) && typeof s.value === 'string' ? s.value.trim() : '')).filter((s) => s !== '') : [],
    file,
  };
  const scores = metricsCvss(cna.metrics, 'cna');
  if (containers.adp !== undefined) {
    if (!Array.isArray(containers.adp)) throw malformed(file, { record: id }, 'containers.adp must be a list');
    for (const adp of containers.adp) {
      if (!isObj(adp)) throw malformed(file, { record: id }, 'each ADP container must be an object');
      const pm = adp.providerMetadata;
      const name = isObj(pm) && typeof pm.shortName === 'string' ? pm.shortName : 'adp';
      scores.push(...metricsCvss(adp.metrics, name));
      if (rec.state === 'PUBLISHED') rec.affected.push(...parseAffected(adp.affected, file, id, name));
      if (!Array.isArray(adp.metrics)) continue;
      for (const m of adp.metrics) {
        const other = isObj(m) ? m.other : undefined;
        if (!isObj(other) || !isObj(other.content)) continue;
        const content = other.content;
        if (other.type === 'ssvc' && Array.isArray(content.options)) {
          const s: Ssvc = {};
          for (const o of content.options) {
            if (!isObj(o)) continue;
            if (typeof o.Exploitation === 'string') s.exploitation = o.Exploitation;
            if (typeof o.Automatable === 'string') s.automatable = o.Automatable;
            if (typeof o['Technical Impact'] === 'string') s.technicalImpact = o['Technical Impact'];
          }
          rec.ssvc = s;
        } else if (other.type === 'kev' && typeof content.dateAdded === 'string') {
          rec.kev = { dateAdded: content.dateAdded.slice(0, 10) };
        }
      }
    }
  }
  rec.cvss = scores[0] ?? null;
  return rec;
}

/** Every *.json file below `dir`, as paths relative to it, sorted. */
export function jsonFilesBelow(dir: string, what: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch (e) {
      throw new KnowledgeError('kb.missing_file', d, {}, `cannot list ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json')) out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  if (out.length === 0) throw new KnowledgeError('kb.missing_file', dir, {}, `no *.json ${what}`);
  return out.sort();
}

export function loadCve5(dir: string): { records: Map<string, Cve5Record>; files: Map<string, number> } {
  const records = new Map<string, Cve5Record>();
  const files = new Map<string, number>();
  for (const rel of jsonFilesBelow(dir, 'CVE JSON 5 records')) {
    const { text, file } = readFeedText(dir, rel);
    const r = parseCve5(text, file);
    const prev = records.get(r.id);
    if (prev !== undefined) throw malformed(file, { record: r.id }, `CVE also in ${prev.file}`);
    records.set(r.id, r);
    files.set(rel, 1);
  }
  return { records, files };
}
