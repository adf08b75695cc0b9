// The knowledge base: every device-identification feed loaded, validated and indexed once at
// start-up from one folder (the repository's knowledge/ by default, `--kb DIR` later), checked
// against knowledge/manifest.json. Lookups are Map probes; nothing is scanned per packet.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EndOfLife, loadEndOfLife, type EolInfo } from './endoflife.js';
import { IEEE_FILES, IeeeRegistries, loadIeee } from './ieee.js';
import { loadManuf, ManufIndex, MANUF_FILE } from './manuf.js';
import { checkCounts, MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import { loadP0f, P0F_FILE, type P0fDatabase } from './p0f.js';
import { matchHttp, type HttpMatch, type HttpObservation } from './p0f-http.js';
import { matchTcp, type TcpMatch, type TcpObservation } from './p0f-tcp.js';
import { loadSatori, SATORI_KINDS, type DhcpType, type SatoriCandidate, SatoriDatabase } from './satori.js';
import { VendorIndex, type Vendor } from './vendor.js';
import { KEV_FILE, loadKev, type Kev, type KevEntry } from './kev.js';
import { loadNvd, NvdIndex, type NvdCve } from './nvd.js';
import { loadCve5, type Cve5Record } from './cve5.js';
import { loadCsaf, type CsafAdvisory } from './csaf.js';
import { DEFAULTCREDS_FILE, loadDefaultCreds, type DefaultCredential } from './defaultcreds.js';
import { windowsRelease, type WindowsEdition, type WindowsRelease } from './windows.js';
import { cacheEnabled, cacheKey, readCache, writeCache } from './cache.js';
import { SubstringIndex } from './aho.js';

/**
 * knowledge/ at the repository (or installed package) root: the nearest one above this module,
 * which runs either from dist/src/knowledge/ or bundled into dist/wardline.mjs.
 */
export const DEFAULT_KB_DIR = findKbDir(dirname(fileURLToPath(import.meta.url)));

function findKbDir(from: string): string {
  for (let d = from, k = 0; k < 6; k++) {
    const cand = join(d, 'knowledge');
    if (existsSync(join(cand, 'manifest.json'))) return cand;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return resolve(from, '..', '..', '..', 'knowledge');
}

export const IEEE_DIR = 'ieee-data';
export const MANUF_DIR = 'wireshark';
export const P0F_DIR = 'p0f';
export const SATORI_DIR = join('satori', 'fingerprints');
export const ENDOFLIFE_DIR = 'endoflife';
export const KEV_DIR = 'cisa-kev';
export const NVD_DIR = 'nvd';
export const CVE5_DIR = 'cve-vulnrichment';
export const CSAF_DIR = 'cisa-csaf';
export const DEFAULTCREDS_DIR = 'defaultcreds';

/** One entry of report.json wardline.kb.sources. */
export interface KbSource {
  name: string;
  version: string;
  date: string;
  records: number;
}

export interface KnowledgeBaseOptions {
  dir?: string;
  /** Refuse a knowledge folder whose record counts differ from its manifest (default true). */
  checkManifest?: boolean;
  /**
   * Read and write the loaded knowledge base's cache in `<dir>/.cache` (cache.ts; default true,
   * unless WARDLINE_KB_CACHE=off). False parses every feed, as `kb check` must.
   */
  cache?: boolean;
}

function prefixed(dir: string, files: Map<string, number>): Map<string, number> {
  return new Map([...files].map(([f, n]) => [`${dir}/${f}`, n]));
}

type Counts = Map<string, { records: number; files: Map<string, number> }>;

export class KnowledgeBase {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly vendors: VendorIndex,
    readonly p0f: P0fDatabase,
    readonly satori: SatoriDatabase,
    readonly endoflife: EndOfLife,
    readonly kev: Kev,
    readonly nvd: NvdIndex,
    readonly cve5: Map<string, Cve5Record>,
    /** CISA ICS medical advisories, sorted by id. */
    readonly csaf: CsafAdvisory[],
    readonly defaultCredentials: DefaultCredential[],
    /** What each loader read, per source and file (compared with the manifest). */
    readonly counts: Counts,
    /** Milliseconds spent loading each source, and in total. */
    readonly loadMs: Record<string, number>,
  ) {}

  static load(opts: KnowledgeBaseOptions = {}): KnowledgeBase {
    const dir = opts.dir ?? DEFAULT_KB_DIR;
    if (opts.cache === false || !cacheEnabled()) return KnowledgeBase.parse(dir, opts);
    const t0 = performance.now();
    // The key is taken once, before anything is read: a feed changed while being parsed makes the
    // cache stale at once instead of filing new content under the old key.
    let key: string | null = null;
    try {
      key = cacheKey(dir);
    } catch {
      key = null;
    }
    const cached = key !== null ? fromCache(readCache(dir, key)) : null;
    if (cached !== null) {
      if (opts.checkManifest !== false) checkCounts(cached.manifest, join(dir, MANIFEST_FILE), cached.counts);
      const ms = Math.round((performance.now() - t0) * 10) / 10;
      return new KnowledgeBase(dir, cached.manifest, cached.vendors, cached.p0f, cached.satori, cached.endoflife, cached.kev, cached.nvd, cached.cve5, cached.csaf, cached.defaultCredentials, cached.counts, { cache: ms, total: ms });
    }
    const kb = KnowledgeBase.parse(dir, opts);
    if (key !== null) writeCache(dir, key, kb.cached());
    return kb;
  }

  /** What the cache holds: every loaded structure (the folder path and timings excepted). */
  private cached(): CachedKb {
    return {
      manifest: this.manifest,
      vendors: this.vendors,
      p0f: this.p0f,
      satori: this.satori,
      endoflife: this.endoflife,
      kev: this.kev,
      nvd: this.nvd,
      cve5: this.cve5,
      csaf: this.csaf,
      defaultCredentials: this.defaultCredentials,
      counts: this.counts,
    };
  }

  /** Parses, validates and indexes every feed of `dir`. */
  private static parse(dir: string, opts: KnowledgeBaseOptions): KnowledgeBase {
    const t0 = performance.now();
    const ms: Record<string, number> = {};
    const timed = <T>(name: string, fn: () => T): T => {
      const t = performance.now();
      const v = fn();
      ms[name] = Math.round((performance.now() - t) * 10) / 10;
      return v;
    };
    const manifest = timed('manifest', () => readManifest(dir));
    const counts: Counts = new Map();
    const ieee = timed('ieee-ra', () => loadIeee(join(dir, IEEE_DIR)));
    counts.set('ieee-ra', {
      records: Object.values(ieee.stats.records).reduce((a, b) => a + b, 0),
      files: new Map(IEEE_FILES.map((f) => [`${IEEE_DIR}/${f.file}`, ieee.stats.records[f.registry]])),
    });
    const manuf = timed('wireshark-manuf', () => loadManuf(join(dir, MANUF_DIR)));
    counts.set('wireshark-manuf', { records: manuf.records, files: new Map([[`${MANUF_DIR}/${MANUF_FILE}`, manuf.records]]) });
    const p0f = timed('p0f', () => loadP0f(join(dir, P0F_DIR)));
    const c = p0f.counts;
    const sigs = c.mtu + c.tcpRequest + c.tcpResponse + c.httpRequest + c.httpResponse;
    counts.set('p0f', { records: sigs, files: new Map([[`${P0F_DIR}/${P0F_FILE}`, sigs]]) });
    const satori = timed('satori', () => loadSatori(join(dir, SATORI_DIR)));
    counts.set('satori', {
      records: satori.files.reduce((a, f) => a + f.fingerprints, 0),
      files: new Map(satori.files.map((f) => [`satori/fingerprints/${SATORI_KINDS[f.kind].file}`, f.fingerprints])),
    });
    const endoflife = timed('endoflife', () => loadEndOfLife(join(dir, ENDOFLIFE_DIR)));
    counts.set('endoflife', {
      records: endoflife.releaseCount,
      files: new Map([...endoflife.products.values()].map((p) => [`${ENDOFLIFE_DIR}/products/${p.id}.md`, p.releases.size])),
    });
    const kev = timed('cisa-kev', () => loadKev(join(dir, KEV_DIR)));
    counts.set('cisa-kev', { records: kev.entries.size, files: new Map([[`${KEV_DIR}/${KEV_FILE}`, kev.entries.size]]) });
    const nvd = timed('nvd', () => loadNvd(join(dir, NVD_DIR)));
    counts.set('nvd', { records: nvd.index.records.size, files: prefixed(NVD_DIR, nvd.files) });
    const cve5 = timed('cve-vulnrichment', () => loadCve5(join(dir, CVE5_DIR)));
    counts.set('cve-vulnrichment', { records: cve5.records.size, files: prefixed(CVE5_DIR, cve5.files) });
    const csaf = timed('cisa-csaf', () => loadCsaf(join(dir, CSAF_DIR)));
    counts.set('cisa-csaf', { records: csaf.advisories.length, files: prefixed(CSAF_DIR, csaf.files) });
    const creds = timed('defaultcreds', () => loadDefaultCreds(join(dir, DEFAULTCREDS_DIR)));
    counts.set('defaultcreds', { records: creds.length, files: new Map([[`${DEFAULTCREDS_DIR}/${DEFAULTCREDS_FILE}`, creds.length]]) });
    if (opts.checkManifest !== false) checkCounts(manifest, join(dir, MANIFEST_FILE), counts);
    ms.total = Math.round((performance.now() - t0) * 10) / 10;
    return new KnowledgeBase(dir, manifest, new VendorIndex(ieee, manuf), p0f, satori, endoflife, kev, nvd.index, cve5.records, csaf.advisories, creds, counts, ms);
  }

  /** report.json wardline.kb.version. */
  get version(): string {
    return this.manifest.version;
  }

  /** The date the knowledge base is current to: its newest source's date (the default --as-of). */
  get date(): string {
    let d = '';
    for (const s of this.manifest.sources) if (s.date > d) d = s.date;
    return d;
  }

  /** report.json wardline.kb.sources: what was loaded, of which date, how many records. */
  sources(): KbSource[] {
    return this.manifest.sources.map((s) => ({ name: s.name, version: s.version, date: s.date, records: this.counts.get(s.name)?.records ?? 0 }));
  }

  vendorOf(mac: number): Vendor | null {
    return this.vendors.vendorOf(mac);
  }

  matchTcpSyn(obs: TcpObservation): TcpMatch | null {
    return matchTcp(this.p0f, obs);
  }

  matchHttp(obs: HttpObservation): HttpMatch | null {
    return matchHttp(this.p0f, obs);
  }

  matchDhcp(q: { messageType?: DhcpType; options?: readonly number[]; param55?: readonly number[]; vendorClass?: string; ttl?: number }): SatoriCandidate[] {
    return this.satori.matchDhcp(q);
  }

  eolOf(product: string, cycle: string): EolInfo | null {
    return this.endoflife.eolOf(product, cycle);
  }

  /** The KEV catalog entry of a CVE, if CISA lists it as exploited. */
  kevOf(cve: string): KevEntry | null {
    return this.kev.entries.get(cve) ?? null;
  }

  nvdOf(cve: string): NvdCve | null {
    return this.nvd.get(cve) ?? null;
  }

  cve5Of(cve: string): Cve5Record | null {
    return this.cve5.get(cve) ?? null;
  }

  windowsRelease(major: number, minor: number, build: number, server?: boolean, opts?: { edition?: WindowsEdition; servicePack?: number }): WindowsRelease | null {
    return windowsRelease(major, minor, build, server, opts);
  }
}

/** The loaded structures as the cache keeps them. */
interface CachedKb {
  manifest: Manifest;
  vendors: VendorIndex;
  p0f: P0fDatabase;
  satori: SatoriDatabase;
  endoflife: EndOfLife;
  kev: Kev;
  nvd: NvdIndex;
  cve5: Map<string, Cve5Record>;
  csaf: CsafAdvisory[];
  defaultCredentials: DefaultCredential[];
  counts: Counts;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Gives a deserialized object its class back (the serializer keeps data, not prototypes). */
function revive<T extends object>(v: unknown, proto: T): boolean {
  if (!isObject(v)) return false;
  Object.setPrototypeOf(v, proto);
  return true;
}

/**
 * The cache's value as a CachedKb, its class instances revived, or null when it is not one (a
 * cache of an older shape: then the feeds are parsed). The class instances in a loaded knowledge
 * base are exactly these (cache.test.ts compares a revived knowledge base with a parsed one,
 * prototypes included, to keep this list true).
 */
function fromCache(v: unknown): CachedKb | null {
  if (!isObject(v) || !(v.counts instanceof Map) || !(v.cve5 instanceof Map) || !Array.isArray(v.csaf) || !Array.isArray(v.defaultCredentials)) return null;
  if (!isObject(v.manifest) || !isObject(v.p0f) || !isObject(v.kev)) return null;
  const vendors = v.vendors;
  if (!isObject(vendors) || !revive(vendors, VendorIndex.prototype) || !revive(vendors.ieee, IeeeRegistries.prototype) || !revive(vendors.manuf, ManufIndex.prototype)) return null;
  const satori = v.satori;
  if (!isObject(satori) || !(satori.buckets instanceof Map) || !revive(satori, SatoriDatabase.prototype)) return null;
  for (const b of satori.buckets.values()) if (!isObject(b) || !revive(b.partial, SubstringIndex.prototype)) return null;
  if (!revive(v.endoflife, EndOfLife.prototype) || !revive(v.nvd, NvdIndex.prototype)) return null;
  return v as unknown as CachedKb;
}
