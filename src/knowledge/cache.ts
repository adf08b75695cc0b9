// The knowledge base as loaded, kept beside the feeds (`<kb>/.cache/kb-*.bin`) so the next start
// reads it back instead of parsing ~14 MB of CSV, XML, JSON and YAML again (about 0.1 s instead
// of 0.35 s; a small capture's whole run was two-thirds feed parsing). Like a compiler's object
// files, it is only used while it provably comes from the same inputs: its key covers every
// file of the knowledge folder (path, size, modification and change times, inode), the code that
// parses them (the files beside this module: the bundle, or the compiled loaders) and the V8
// version whose serializer wrote it. Anything else (a missing, stale, unreadable or corrupt
// cache, a folder we may not write to) falls back to parsing. `wardline kb check` always parses.
//
// Every feed is validated when it is parsed; a cache is written only after a load succeeded, and
// the manifest's record counts are checked again on every load from it. The cache is as trusted
// as the folder it sits in (whoever can write one can write the other): it holds data only, and
// only the knowledge base's own classes are given back to it.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

/** Folder inside the knowledge folder that holds the cache (never read as a feed). */
export const CACHE_DIR = '.cache';
/** Bumped when the cached shape changes in a way the code key would not notice. */
const FORMAT = 1;
const MAGIC = 'WLKB';
/** Bound on the folder walk (the shipped knowledge base has about 300 files). */
const MAX_FILES = 100_000;

/** Environment switch: WARDLINE_KB_CACHE=off parses the feeds on every start. */
export function cacheEnabled(): boolean {
  return process.env.WARDLINE_KB_CACHE !== 'off';
}

function statLine(path: string, st: Stats): string {
  return `${path}\u0000${st.size}\u0000${st.mtimeMs}\u0000${st.ctimeMs}\u0000${st.ino}\n`;
}

/** Every regular file under `dir` (the cache folder left out), in name order, as stat lines. */
function folderStats(dir: string, rel: string, out: string[]): void {
  const entries = readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= MAX_FILES) throw new Error('too many files');
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (r === CACHE_DIR) continue;
    if (e.isDirectory()) folderStats(dir, r, out);
    else if (e.isFile()) out.push(statLine(r, statSync(join(dir, r))));
  }
}

/** Where the code that parses the feeds lives: the bundle's folder, or the compiled loaders'. */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * The cache file of `dir` for this copy of the code. The bundled command and the compiled modules
 * (tests, the API) each keep their own, instead of replacing each other's at every switch.
 */
export function cacheFile(dir: string): string {
  return join(dir, CACHE_DIR, `kb-${createHash('sha256').update(CODE_DIR).digest('hex').slice(0, 12)}.bin`);
}

/** The code that turns feeds into the cached structures: the regular files beside this module. */
function codeStats(): string[] {
  const here = CODE_DIR;
  const out: string[] = [];
  for (const e of readdirSync(here, { withFileTypes: true })) {
    if (e.isFile() && /\.(m?js|cjs)$/.test(e.name)) out.push(statLine(e.name, statSync(join(here, e.name))));
  }
  return out.sort();
}

/** The cache key of a knowledge folder as it is now. */
export function cacheKey(dir: string): string {
  const lines: string[] = [`${MAGIC} ${FORMAT} ${process.versions.v8}\n`, ...codeStats(), '--\n'];
  folderStats(dir, '', lines);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** The cached value for `dir` if its cache was written under `key` (cacheKey); null otherwise. */
export function readCache(dir: string, key: string): unknown {
  let buf: Buffer;
  try {
    buf = readFileSync(cacheFile(dir));
  } catch {
    return null;
  }
  // Header: magic, key (64 hex digits), '\n'; then the V8 serialization.
  const head = MAGIC.length + 64 + 1;
  if (buf.length <= head || buf.toString('latin1', 0, MAGIC.length) !== MAGIC || buf.toString('latin1', MAGIC.length, head - 1) !== key) return null;
  try {
    return deserialize(buf.subarray(head));
  } catch {
    return null;
  }
}

/** Writes the cache for `dir` (atomically: a reader sees the old file or the new one); false if it could not. */
export function writeCache(dir: string, key: string, value: unknown): boolean {
  const file = cacheFile(dir);
  const folder = dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const body = serialize(value);
    mkdirSync(folder, { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      const head = Buffer.from(`${MAGIC}${key}\n`, 'latin1');
      writeSync(fd, head);
      let off = 0;
      while (off < body.length) off += writeSync(fd, body, off, body.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}
