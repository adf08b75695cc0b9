// `wardline kb list | check | import <file>…` without the CLI: what the knowledge folder holds,
// whether it loads and matches its manifest, and taking in a newer copy of a supported feed.
// import recognises the feed by its content (not its name), validates it on its own so an error
// names the user's file and entry, loads the whole knowledge base with the file in place in a
// scratch copy, and only then writes the file and the updated manifest into the folder.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { KnowledgeError, malformed } from './errors.js';
import { DEFAULT_KB_DIR, KnowledgeBase, CSAF_DIR, CVE5_DIR, DEFAULTCREDS_DIR, ENDOFLIFE_DIR, IEEE_DIR, KEV_DIR, MANUF_DIR, NVD_DIR, P0F_DIR, SATORI_DIR } from './kb.js';
import { MANIFEST_FILE, readManifest, type Manifest, type ManifestSource } from './manifest.js';
import { isKevDocument, KEV_FILE, parseKev } from './kev.js';
import { isNvdDocument, parseNvdDocument } from './nvd.js';
import { isCve5Document, parseCve5 } from './cve5.js';
import { isCsafDocument, parseCsaf } from './csaf.js';
import { DEFAULTCREDS_FILE, isDefaultCredsCsv, parseDefaultCreds } from './defaultcreds.js';
import { parseProduct } from './endoflife.js';
import { IEEE_FILES } from './ieee.js';
import { MANUF_FILE } from './manuf.js';
import { P0F_FILE } from './p0f.js';
import { CACHE_DIR } from './cache.js';
import { SATORI_KINDS, type SatoriKind } from './satori.js';

/** Descriptions of the feeds, for manifest entries a first import creates. */
const FEEDS: Record<string, Omit<ManifestSource, 'name' | 'version' | 'date' | 'records' | 'files'> & { dir: string; licenceFile?: string }> = {
  'ieee-ra': { title: 'IEEE Registration Authority assignments: MA-L, MA-M, MA-S, IAB', source: 'IEEE RA public listings', licence: 'public registry data', unit: 'assignments', dir: IEEE_DIR, licenceFile: 'copyright' },
  'wireshark-manuf': { title: 'Wireshark manuf: vendor short names by MAC prefix', source: 'Wireshark', licence: 'GPL-2.0-or-later', unit: 'prefixes', dir: MANUF_DIR, licenceFile: 'COPYING' },
  p0f: { title: 'p0f v3 TCP SYN / SYN+ACK, MTU and HTTP signatures', source: 'p0f', licence: 'LGPL-2.1', unit: 'signatures', dir: P0F_DIR, licenceFile: 'COPYING' },
  satori: { title: 'Satori passive fingerprints', source: 'xnih/satori', licence: 'GPL-2.0', unit: 'fingerprints', dir: 'satori', licenceFile: 'LICENSE' },
  endoflife: { title: 'endoflife.date release cycles and support dates', source: 'endoflife-date/endoflife.date', licence: 'MIT', unit: 'release cycles', dir: ENDOFLIFE_DIR, licenceFile: 'LICENSE' },
  'cisa-kev': { title: 'CISA Known Exploited Vulnerabilities catalog', source: 'cisagov/kev-data', licence: 'CC0-1.0', unit: 'vulnerabilities', dir: KEV_DIR, licenceFile: 'LICENSE' },
  nvd: { title: 'NVD CVE API 2.0 records: CPE applicability, CVSS, KEV dates', source: 'NVD CVE API 2.0 (fkie-cad/nvd-json-data-feeds mirror)', licence: 'US-government work (NIST), public domain in the US', unit: 'CVE records', dir: NVD_DIR },
  'cve-vulnrichment': { title: 'CVE JSON 5 records with the CISA ADP container (SSVC, CVSS, KEV)', source: 'cisagov/vulnrichment', licence: 'CC0-1.0', unit: 'CVE records', dir: CVE5_DIR, licenceFile: 'LICENSE' },
  'cisa-csaf': { title: 'CISA ICS medical advisories (CSAF 2.0)', source: 'cisagov/CSAF', licence: 'US-government work (CISA), public domain in the US', unit: 'advisories', dir: CSAF_DIR },
  defaultcreds: { title: 'Vendor default credentials (product, user name, password)', source: 'ihebski/DefaultCreds-cheat-sheet', licence: 'MIT', unit: 'credentials', dir: DEFAULTCREDS_DIR, licenceFile: 'LICENSE' },
};

export interface KbListRow {
  name: string;
  title: string;
  version: string;
  date: string;
  records: number;
  unit: string;
  licence: string;
  files: number;
}

/** `kb list`: the manifest's sources (no loading). */
export function listKb(dir = DEFAULT_KB_DIR): { version: string; date: string; sources: KbListRow[] } {
  const m = readManifest(dir);
  let date = '';
  for (const s of m.sources) if (s.date > date) date = s.date;
  return {
    version: m.version,
    date,
    sources: m.sources.map((s) => ({ name: s.name, title: s.title, version: s.version, date: s.date, records: s.records, unit: s.unit, licence: s.licence, files: s.files.length })),
  };
}

export interface KbCheckResult {
  ok: boolean;
  /** Problems as "file (entry): detail" lines. */
  problems: string[];
  loadMs: Record<string, number>;
}

/** `kb check`: loads every feed, compares with the manifest, and looks for each feed's licence note. */
export function checkKb(dir = DEFAULT_KB_DIR): KbCheckResult {
  const problems: string[] = [];
  let loadMs: Record<string, number> = {};
  try {
    // Parsed from the files, never from the cache: this is the command that validates them.
    loadMs = KnowledgeBase.load({ dir, cache: false }).loadMs;
  } catch (e) {
    if (!(e instanceof KnowledgeError)) throw e;
    problems.push(e.message);
  }
  try {
    for (const s of readManifest(dir).sources) {
      const f = FEEDS[s.name];
      if (f === undefined) continue;
      if (!existsSync(join(dir, f.dir, 'SOURCES.md'))) problems.push(`${join(dir, f.dir, 'SOURCES.md')}: missing (where the feed came from and its licence)`);
      if (f.licenceFile !== undefined && !existsSync(join(dir, f.dir, f.licenceFile))) problems.push(`${join(dir, f.dir, f.licenceFile)}: missing licence file`);
    }
  } catch (e) {
    if (!(e instanceof KnowledgeError)) throw e;
    if (!problems.includes(e.message)) problems.push(e.message);
  }
  return { ok: problems.length === 0, problems, loadMs };
}

/** What an imported file is and where it goes. */
export interface DetectedFeed {
  source: string;
  /** Path relative to the knowledge folder. */
  dest: string;
  records: number;
  /** Version and date the file itself states, when it states them. */
  version?: string;
  date?: string;
}

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw malformed(file, {}, `not valid JSON (${(e as Error).message})`);
  }
}

const SATORI_BY_ROOT = new Map<string, SatoriKind>(Object.entries(SATORI_KINDS).map(([k, v]) => [v.root, k as SatoriKind]));

/** Recognises a feed file by its content and validates it alone; throws naming `file`. */
export function detectFeed(text: string, file: string): DetectedFeed {
  const t = text.replace(/^\ufeff/, '');
  const head = t.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    const doc = parseJson(t, file);
    if (isKevDocument(doc)) {
      const k = parseKev(t, file);
      return { source: 'cisa-kev', dest: `${KEV_DIR}/${KEV_FILE}`, records: k.entries.size, version: k.catalogVersion, date: k.dateReleased };
    }
    if (isCve5Document(doc)) {
      const r = parseCve5(t, file);
      const [, year, num] = /^CVE-(\d{4})-(\d+)$/.exec(r.id)!;
      const bucket = num.length <= 3 ? '0xxx' : `${num.slice(0, num.length - 3)}xxx`;
      return { source: 'cve-vulnrichment', dest: `${CVE5_DIR}/${year}/${bucket}/${r.id}.json`, records: 1, date: r.dateUpdated || undefined };
    }
    if (isCsafDocument(doc)) {
      const a = parseCsaf(t, file);
      const year = a.releaseDate.slice(0, 4);
      const name = a.id.toLowerCase().replace(/[^a-z0-9.-]+/g, '_');
      return { source: 'cisa-csaf', dest: `${CSAF_DIR}/${year}/${name}.json`, records: 1, date: a.releaseDate };
    }
    if (isNvdDocument(doc)) {
      const recs = parseNvdDocument(t, file);
      const newest = recs.reduce((d, r) => (r.lastModified > d ? r.lastModified : d), '').slice(0, 10);
      const name = recs.length === 1 ? `${recs[0].id}.json` : basename(file).replace(/\.gz$/, '');
      return { source: 'nvd', dest: `${NVD_DIR}/${name.endsWith('.json') ? name : `${name}.json`}`, records: recs.length, date: newest };
    }
    throw new KnowledgeError('kb.malformed', file, {}, 'JSON, but not a KEV catalog, NVD 2.0 record, CVE JSON 5 record or CSAF 2.0 advisory');
  }
  if (isDefaultCredsCsv(t)) {
    const c = parseDefaultCreds(t, file);
    return { source: 'defaultcreds', dest: `${DEFAULTCREDS_DIR}/${DEFAULTCREDS_FILE}`, records: c.length };
  }
  if (head.startsWith('Registry,Assignment,Organization Name')) {
    const reg = /^[^\n]*\n([^,\n]+),/.exec(head)?.[1];
    const spec = IEEE_FILES.find((f) => f.registry === reg);
    if (spec === undefined) throw malformed(file, { line: 2 }, `unknown IEEE registry ${JSON.stringify(reg)}`);
    return { source: 'ieee-ra', dest: `${IEEE_DIR}/${spec.file}`, records: 0 };
  }
  if (head.startsWith('---')) {
    const m = /^---\s*\n[\s\S]*?\npermalink:\s*\/?([a-z0-9.-]+)/m.exec(t);
    const id = m?.[1] ?? basename(file).replace(/\.md$/, '');
    const p = parseProduct(t, file, id);
    return { source: 'endoflife', dest: `${ENDOFLIFE_DIR}/products/${id}.md`, records: p.releases.size };
  }
  if (head.startsWith('<?xml') || head.startsWith('<')) {
    const root = /<([A-Za-z0-9]+)[\s>]/.exec(head.replace(/^<\?xml[^>]*>\s*/, ''))?.[1] ?? '';
    const kind = SATORI_BY_ROOT.get(root);
    if (kind === undefined) throw malformed(file, {}, `XML root <${root}> is not a Satori fingerprint file`);
    return { source: 'satori', dest: `${SATORI_DIR}/${SATORI_KINDS[kind].file}`.split('\\').join('/'), records: 0 };
  }
  if (/^\[(tcp|mtu|http):/m.test(t) || /^\[mtu\]/m.test(t)) return { source: 'p0f', dest: `${P0F_DIR}/${P0F_FILE}`, records: 0 };
  if (/^[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}(\/\d+)?\t/m.test(t)) return { source: 'wireshark-manuf', dest: `${MANUF_DIR}/${MANUF_FILE}`, records: 0 };
  throw new KnowledgeError('kb.malformed', file, {}, 'not a supported feed (KEV, NVD 2.0, CVE 5, CSAF 2.0, endoflife.date, IEEE CSV, Wireshark manuf, p0f, Satori XML, default credentials CSV)');
}

/** Rewrites the manifest's record counts and files from what the loaders read. */
function updatedManifest(m: Manifest, kb: KnowledgeBase, touched: Map<string, { version: string; date: string }>): Manifest {
  const sources: ManifestSource[] = [];
  const names = [...kb.counts.keys()];
  for (const name of names) {
    const got = kb.counts.get(name)!;
    const old = m.sources.find((s) => s.name === name);
    const meta = FEEDS[name];
    const t = touched.get(name);
    const base: ManifestSource = old !== undefined
      ? { ...old }
      : { name, title: meta?.title ?? name, source: meta?.source ?? name, version: t?.version ?? '', date: t?.date ?? '', licence: meta?.licence ?? 'see SOURCES.md', unit: meta?.unit ?? 'records', records: 0, files: [] };
    if (t !== undefined) {
      base.version = t.version;
      base.date = t.date;
      delete base.dateNote;
    }
    base.records = got.records;
    base.files = [...got.files].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([path, records]) => ({ path, records }));
    if (old !== undefined) {
      // Keep the manifest's own file order where it had one.
      const order = new Map(old.files.map((f, i) => [f.path, i]));
      base.files.sort((a, b) => (order.get(a.path) ?? 1e9) - (order.get(b.path) ?? 1e9) || (a.path < b.path ? -1 : 1));
    }
    sources.push(base);
  }
  const order = new Map(m.sources.map((s, i) => [s.name, i]));
  sources.sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
  return { ...m, sources };
}

export interface ImportResult {
  file: string;
  source: string;
  dest: string;
  records: number;
  replaced: boolean;
}

function readInput(path: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new KnowledgeError('kb.missing_file', path, {}, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString('utf8');
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `kb import <file>…`: validates each file, checks the knowledge base still loads with them in
 * place (in a scratch copy), then copies them into `dir` and rewrites manifest.json. Feeds that
 * state no date of their own get the file's modification date and a content hash as version.
 */
export function importFeeds(paths: string[], dir = DEFAULT_KB_DIR): ImportResult[] {
  const items = paths.map((p) => {
    const text = readInput(p);
    const d = detectFeed(text, p);
    return { path: p, text, d };
  });
  const touched = new Map<string, { version: string; date: string }>();
  for (const { path, text, d } of items) {
    const date = d.date ?? isoDay(statSync(path).mtimeMs);
    const version = d.version ?? (d.date !== undefined ? d.date : `sha256:${hash8(text)}`);
    const prev = touched.get(d.source);
    if (prev === undefined || date > prev.date) touched.set(d.source, { version, date });
  }
  const scratch = mkdtempSync(join(tmpdir(), 'wardline-kb-import-'));
  try {
    cpSync(dir, scratch, { recursive: true, filter: (src) => basename(src) !== CACHE_DIR });
    for (const { text, d } of items) {
      mkdirSync(dirname(join(scratch, d.dest)), { recursive: true });
      writeFileSync(join(scratch, d.dest), text);
    }
    const kb = KnowledgeBase.load({ dir: scratch, checkManifest: false, cache: false });
    const manifest = updatedManifest(readManifest(scratch), kb, touched);
    const out: ImportResult[] = [];
    for (const { path, text, d } of items) {
      const target = join(dir, d.dest);
      const replaced = existsSync(target);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      out.push({ file: path, source: d.source, dest: d.dest, records: d.records, replaced });
    }
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Recomputes every source's counts and files in manifest.json from the folder (maintenance). */
export function refreshManifest(dir = DEFAULT_KB_DIR, touched = new Map<string, { version: string; date: string }>()): Manifest {
  const kb = KnowledgeBase.load({ dir, checkManifest: false, cache: false });
  const m = updatedManifest(readManifest(dir), kb, touched);
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
  return m;
}
