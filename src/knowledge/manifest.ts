// knowledge/manifest.json: which feeds the knowledge base holds, from where, of what date and
// version, under which licence, and how many records each file gave. The loader checks the files
// exist before reading them and that the counts it read match, so report.json never cites a
// version the data does not have.
import { KnowledgeError, malformed } from './errors.js';
import { readFeedText } from './files.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 1;

export interface ManifestFile {
  /** Path relative to the knowledge folder. */
  path: string;
  records: number;
}

export interface ManifestSource {
  /** Stable id used in report.json (wardline.kb.sources[].name). */
  name: string;
  title: string;
  /** Upstream project and revision (release, package version or commit). */
  source: string;
  version: string;
  /** ISO date the data is current to (see `dateNote` for how it was established). */
  date: string;
  dateNote?: string;
  licence: string;
  /** Total records the loader indexes for this source (what each record is: `unit`). */
  records: number;
  unit: string;
  files: ManifestFile[];
}

export interface Manifest {
  format: number;
  /** Version of this knowledge base as a whole (report.json wardline.kb.version). */
  version: string;
  sources: ManifestSource[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** Reads and validates knowledge/manifest.json. */
export function readManifest(dir: string): Manifest {
  const { text, file } = readFeedText(dir, MANIFEST_FILE);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
  const m = doc as Partial<Manifest>;
  if (typeof m !== 'object' || m === null || m.format !== MANIFEST_FORMAT) throw malformed(file, {}, `format must be ${MANIFEST_FORMAT}`);
  if (typeof m.version !== 'string' || m.version.length === 0) throw malformed(file, {}, 'version must be a non-empty string');
  if (!Array.isArray(m.sources) || m.sources.length === 0) throw malformed(file, {}, 'sources must be a non-empty list');
  const names = new Set<string>();
  m.sources.forEach((s: Partial<ManifestSource>, i: number) => {
    const at = { record: typeof s?.name === 'string' ? s.name : `sources[${i}]` };
    if (typeof s !== 'object' || s === null) throw malformed(file, at, 'source must be an object');
    for (const k of ['name', 'title', 'source', 'version', 'licence', 'unit'] as const) {
      if (typeof s[k] !== 'string' || s[k]!.length === 0) throw malformed(file, at, `${k} must be a non-empty string`);
    }
    if (typeof s.date !== 'string' || !DATE.test(s.date)) throw malformed(file, at, 'date must be YYYY-MM-DD');
    if (!isCount(s.records)) throw malformed(file, at, 'records must be a count');
    if (!Array.isArray(s.files) || s.files.length === 0) throw malformed(file, at, 'files must be a non-empty list');
    for (const f of s.files) {
      if (typeof f?.path !== 'string' || f.path.length === 0 || f.path.includes('..') || !isCount(f.records)) {
        throw malformed(file, at, 'each file needs a relative path and a records count');
      }
    }
    if (names.has(s.name!)) throw malformed(file, at, 'source listed twice');
    names.add(s.name!);
  });
  return m as Manifest;
}

/** Compares what the loaders read with the manifest; throws on the first difference. */
export function checkCounts(manifest: Manifest, file: string, actual: Map<string, { records: number; files: Map<string, number> }>): void {
  for (const s of manifest.sources) {
    const got = actual.get(s.name);
    if (got === undefined) throw new KnowledgeError('kb.manifest_mismatch', file, { record: s.name }, 'the manifest lists a source no loader reads');
    if (got.records !== s.records) {
      throw new KnowledgeError('kb.manifest_mismatch', file, { record: s.name }, `manifest says ${s.records} ${s.unit}, the feed gave ${got.records}; update the manifest (wardline kb import) or restore the feed`);
    }
    for (const f of s.files) {
      const n = got.files.get(f.path);
      if (n !== f.records) {
        throw new KnowledgeError('kb.manifest_mismatch', file, { record: `${s.name}: ${f.path}` }, `manifest says ${f.records} records, the file gave ${n ?? 'none (not read)'}`);
      }
    }
    if (got.files.size !== s.files.length) {
      const extra = [...got.files.keys()].filter((p) => !s.files.some((f) => f.path === p));
      throw new KnowledgeError('kb.manifest_mismatch', file, { record: s.name }, `files read but not in the manifest: ${extra.join(', ')}`);
    }
  }
  for (const name of actual.keys()) {
    if (!manifest.sources.some((s) => s.name === name)) throw new KnowledgeError('kb.manifest_mismatch', file, { record: name }, 'source loaded but missing from the manifest');
  }
}
