// CISA Known Exploited Vulnerabilities catalog, JSON format
// (known_exploited_vulnerabilities_schema.json of cisagov/kev-data): { title, catalogVersion,
// dateReleased, count, vulnerabilities: [{ cveID, vendorProject, product, vulnerabilityName,
// dateAdded, shortDescription, requiredAction, dueDate, knownRansomwareCampaignUse, notes, cwes }] }.
// Indexed by CVE id.
import { malformed } from './errors.js';
import { readFeedText } from './files.js';
import { CVE_ID } from './nvd.js';

export const KEV_FILE = 'known_exploited_vulnerabilities.json';

export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string;
  requiredAction: string;
  ransomware: boolean;
}

export interface Kev {
  catalogVersion: string;
  dateReleased: string;
  entries: Map<string, KevEntry>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REQUIRED = ['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate'] as const;

export function isKevDocument(doc: unknown): boolean {
  const d = doc as Record<string, unknown> | null;
  return typeof d === 'object' && d !== null && typeof d.catalogVersion === 'string' && Array.isArray(d.vulnerabilities);
}

export function parseKev(text: string, file: string): Kev {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
  const d = doc as Record<string, unknown>;
  if (!isKevDocument(doc)) throw malformed(file, {}, 'not a KEV catalog: catalogVersion and vulnerabilities are required');
  if (typeof d.dateReleased !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(d.dateReleased)) throw malformed(file, {}, 'dateReleased must be an ISO date-time');
  const list = d.vulnerabilities as unknown[];
  if (typeof d.count !== 'number' || d.count !== list.length) throw malformed(file, {}, `count says ${String(d.count)}, the catalog lists ${list.length}`);
  const entries = new Map<string, KevEntry>();
  list.forEach((v, i) => {
    const e = v as Record<string, unknown>;
    const rec = typeof e?.cveID === 'string' ? e.cveID : `vulnerabilities[${i}]`;
    if (typeof e !== 'object' || e === null) throw malformed(file, { record: rec }, 'entry must be an object');
    for (const k of REQUIRED) if (typeof e[k] !== 'string') throw malformed(file, { record: rec }, `${k} must be a string`);
    if (!CVE_ID.test(e.cveID as string)) throw malformed(file, { record: rec }, 'cveID must look like CVE-YYYY-NNNN');
    for (const k of ['dateAdded', 'dueDate'] as const) if (!DATE.test(e[k] as string)) throw malformed(file, { record: rec }, `${k} must be YYYY-MM-DD`);
    if (entries.has(rec)) throw malformed(file, { record: rec }, 'listed twice');
    entries.set(rec, {
      cve: rec,
      vendorProject: e.vendorProject as string,
      product: e.product as string,
      name: e.vulnerabilityName as string,
      dateAdded: e.dateAdded as string,
      dueDate: e.dueDate as string,
      requiredAction: e.requiredAction as string,
      ransomware: e.knownRansomwareCampaignUse === 'Known',
    });
  });
  return { catalogVersion: d.catalogVersion as string, dateReleased: (d.dateReleased as string).slice(0, 10), entries };
}

export function loadKev(dir: string): Kev {
  const { text, file } = readFeedText(dir, KEV_FILE);
  return parseKev(text, file);
}
