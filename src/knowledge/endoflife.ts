// endoflife.date product files (products/<product>.md): YAML front matter whose `releases:` list
// gives, per release cycle, releaseCycle, releaseDate, eol (a date, or true/false when the date
// is unknown) and optionally eoas (end of active support), eoes / extendedSupport (end of
// extended, usually paid, support), latest, lts, releaseLabel. The schema follows the
// endoflife.date contribution guide; fields this loader does not use are kept unchecked.
// Indexed as product → cycle → release.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError, malformed } from './errors.js';
import { readFeedText } from './files.js';
import { frontMatter, parseYaml, YamlMap, YamlSeq, type YamlValue } from './yaml.js';

export const PRODUCTS_DIR = 'products';

export interface Release {
  cycle: string;
  label: string;
  releaseDate: string;
  /** End of (security) support: an ISO date, or a boolean when the file has no date. */
  eol: string | boolean;
  /** End of active support (eoas). */
  activeSupport?: string | boolean;
  /** End of extended support (eoes, or extendedSupport in older files). */
  extendedSupport?: string | boolean;
  latest?: string;
  lts?: string | boolean;
  line: number;
}

export interface EolInfo {
  product: string;
  cycle: string;
  label: string;
  releaseDate: string;
  /** End of support as an ISO date; null when the file has no date (see `ended`). */
  eol: string | null;
  /** Set when the file only says whether support has ended (eol: true / false). */
  ended?: boolean;
  /** End of extended support as an ISO date; null when the product has none or no date is known. */
  extendedSupport?: string | null;
  /** End of active (mainstream) support as an ISO date, when known. */
  activeSupport?: string | null;
  latest?: string;
  lts?: boolean;
}

export interface Product {
  id: string;
  title: string;
  file: string;
  releases: Map<string, Release>;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return d.toISOString().slice(0, 10) === s;
}

function dateOrBool(v: YamlValue | undefined): string | boolean | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && validDate(v)) return v;
  return null;
}

/**
 * A releaseLabel template filled in: __RELEASE_CYCLE__, __CODENAME__ and __LATEST__ replaced by
 * the release's values; a placeholder without a value leaves no empty brackets or quotes behind.
 */
export function fillReleaseLabel(template: string, cycle: string, codename: string | null, latest: string | null): string {
  const s = template
    .replace(/__RELEASE_CYCLE__/g, cycle)
    .replace(/__CODENAME__/g, codename ?? '')
    .replace(/__LATEST__/g, latest ?? '')
    .replace(/\(\s*\)|''|""/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return s === '' ? cycle : s;
}

/** Validates one product file's text; throws a KnowledgeError naming the line and the cycle. */
export function parseProduct(text: string, file: string, id: string): Product {
  const { yaml, firstLine } = frontMatter(text, file);
  const doc = parseYaml(yaml, file, firstLine);
  if (!(doc instanceof YamlMap)) throw malformed(file, { line: firstLine }, 'front matter must be a mapping');
  const title = doc.get('title');
  if (typeof title !== 'string' || title.length === 0) throw malformed(file, { line: doc.lines.get('title') ?? firstLine }, 'title must be a non-empty string');
  const rel = doc.get('releases');
  if (!(rel instanceof YamlSeq) || rel.items.length === 0) {
    throw malformed(file, { line: doc.lines.get('releases') ?? firstLine }, 'releases must be a non-empty list');
  }
  // endoflife.date's releaseLabel: a template for the releases' display names, per product or
  // per release (a release's own wins); the cycle itself when there is none.
  const productLabel = doc.get('releaseLabel');
  if (productLabel !== undefined && typeof productLabel !== 'string') throw malformed(file, { line: doc.lines.get('releaseLabel') ?? firstLine }, 'releaseLabel must be a string');
  const releases = new Map<string, Release>();
  rel.items.forEach((item, i) => {
    const line = rel.lines[i];
    if (!(item instanceof YamlMap)) throw malformed(file, { line }, `releases[${i}] must be a mapping`);
    const cycle = item.get('releaseCycle');
    if (typeof cycle !== 'string' || cycle.length === 0) throw malformed(file, { line }, `releases[${i}] has no releaseCycle`);
    const at = (key: string) => ({ line: item.lines.get(key) ?? line, record: cycle });
    if (releases.has(cycle)) throw malformed(file, at('releaseCycle'), `releaseCycle repeated (first on line ${releases.get(cycle)!.line})`);
    const releaseDate = item.get('releaseDate');
    if (typeof releaseDate !== 'string' || !validDate(releaseDate)) throw malformed(file, at('releaseDate'), 'releaseDate must be a YYYY-MM-DD date');
    const eol = dateOrBool(item.get('eol'));
    if (eol === undefined || eol === null) throw malformed(file, at('eol'), 'eol must be a YYYY-MM-DD date, true or false');
    const r: Release = { cycle, label: cycle, releaseDate, eol, line };
    const label = item.get('releaseLabel');
    if (label !== undefined && typeof label !== 'string') throw malformed(file, at('releaseLabel'), 'releaseLabel must be a string');
    const codename = item.get('codename');
    const latestText = item.get('latest');
    const template = label ?? productLabel;
    if (template !== undefined) r.label = fillReleaseLabel(template, cycle, typeof codename === 'string' ? codename : null, typeof latestText === 'string' ? latestText : null);
    for (const [key, field] of [['eoas', 'activeSupport'], ['eoes', 'extendedSupport'], ['extendedSupport', 'extendedSupport']] as const) {
      const v = dateOrBool(item.get(key));
      if (v === null) throw malformed(file, at(key), `${key} must be a YYYY-MM-DD date, true or false`);
      if (v !== undefined) r[field] = v;
    }
    const latest = item.get('latest');
    if (latest !== undefined && latest !== null) {
      if (typeof latest !== 'string') throw malformed(file, at('latest'), 'latest must be a version string');
      r.latest = latest;
    }
    const lts = dateOrBool(item.get('lts'));
    if (lts === null) throw malformed(file, at('lts'), 'lts must be a YYYY-MM-DD date, true or false');
    if (lts !== undefined) r.lts = lts;
    releases.set(cycle, r);
  });
  return { id, title, file, releases };
}

export class EndOfLife {
  constructor(readonly products: Map<string, Product>) {}

  get releaseCount(): number {
    let n = 0;
    for (const p of this.products.values()) n += p.releases.size;
    return n;
  }

  /** Support dates of one release cycle, or null for an unknown product or cycle. */
  eolOf(product: string, cycle: string): EolInfo | null {
    const p = this.products.get(product);
    const r = p?.releases.get(cycle);
    if (p === undefined || r === undefined) return null;
    const info: EolInfo = { product, cycle, label: r.label, releaseDate: r.releaseDate, eol: typeof r.eol === 'string' ? r.eol : null };
    if (typeof r.eol === 'boolean') info.ended = r.eol;
    if (r.extendedSupport !== undefined) info.extendedSupport = typeof r.extendedSupport === 'string' ? r.extendedSupport : null;
    if (r.activeSupport !== undefined) info.activeSupport = typeof r.activeSupport === 'string' ? r.activeSupport : null;
    if (r.latest !== undefined) info.latest = r.latest;
    if (r.lts !== undefined) info.lts = r.lts !== false;
    return info;
  }
}

/** Loads every products/*.md file under `dir` (knowledge/endoflife). */
export function loadEndOfLife(dir: string): EndOfLife {
  const pdir = join(dir, PRODUCTS_DIR);
  let names: string[];
  try {
    names = readdirSync(pdir).filter((n) => n.endsWith('.md')).sort();
  } catch (e) {
    throw new KnowledgeError('kb.missing_file', pdir, {}, `cannot list product files (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (names.length === 0) throw new KnowledgeError('kb.missing_file', pdir, {}, 'no products/*.md files');
  const products = new Map<string, Product>();
  for (const n of names) {
    const { text, file } = readFeedText(pdir, n);
    const id = n.slice(0, -'.md'.length);
    products.set(id, parseProduct(text, file, id));
  }
  return new EndOfLife(products);
}
