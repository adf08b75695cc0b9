import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CACHE_DIR, cacheFile } from './cache.js';
import { KnowledgeError } from './errors.js';
import { KnowledgeBase } from './kb.js';
import { KB_DIR } from './testutil.js';

/** Runs `fn` on a private copy of the shipped knowledge folder (without its cache), then removes it. */
function withKbCopy(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-kbcache-'));
  try {
    cpSync(KB_DIR, dir, { recursive: true, filter: (src) => basename(src) !== CACHE_DIR });
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes before the V8 serialization in a cache file: "WLKB", the 64-hex-digit key, a newline. */
const CACHE_HEADER = 4 + 64 + 1;

const CACHE = cacheFile;
const fromCache = (kb: KnowledgeBase): boolean => 'cache' in kb.loadMs;

/** Everything a knowledge base holds, as one comparable value. */
function parts(kb: KnowledgeBase): unknown[] {
  return [kb.manifest, kb.vendors, kb.p0f, kb.satori, kb.endoflife, kb.kev, kb.nvd, kb.cve5, kb.csaf, kb.defaultCredentials, kb.counts];
}

test('a knowledge base read back from its cache is the parsed one: same data, same classes, same answers', () => {
  withKbCopy((dir) => {
    const parsed = KnowledgeBase.load({ dir });
    assert.equal(fromCache(parsed), false);
    assert.ok(existsSync(CACHE(dir)), 'the first load writes the cache');
    const cached = KnowledgeBase.load({ dir });
    assert.equal(fromCache(cached), true);
    // Deep strict equality compares prototypes too: every class instance came back as its class.
    // (A boolean first: a failed deepEqual of 150,000 objects would print an enormous diff.)
    assert.ok(isDeepStrictEqual(parts(cached), parts(parsed)));
    // Lookups through every revived class.
    const mac = 0x00000c123456;
    assert.deepEqual(cached.vendorOf(mac), parsed.vendorOf(mac));
    assert.ok((cached.vendorOf(mac)?.name.length ?? 0) > 0);
    const dhcp = { param55: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252] };
    assert.deepEqual(cached.matchDhcp(dhcp), parsed.matchDhcp(dhcp));
    const ua = 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko';
    assert.deepEqual(cached.satori.matchUserAgent(ua), parsed.satori.matchUserAgent(ua));
    assert.ok(cached.satori.matchUserAgent(ua).length > 0);
    assert.deepEqual(cached.eolOf('windows', '7'), parsed.eolOf('windows', '7'));
    assert.deepEqual(cached.nvd.cvesFor('microsoft', 'windows_7'), parsed.nvd.cvesFor('microsoft', 'windows_7'));
    assert.deepEqual(cached.sources(), parsed.sources());
    assert.equal(cached.date, parsed.date);
  });
});

test('a feed changed after the cache was written is parsed again, and a broken one is refused', () => {
  withKbCopy((dir) => {
    KnowledgeBase.load({ dir });
    assert.equal(fromCache(KnowledgeBase.load({ dir })), true);
    // A line the manifest does not count: parsed (not served from the cache), then refused by the manifest check.
    const manuf = join(dir, 'wireshark', 'manuf');
    appendFileSync(manuf, 'FC:FF:FF\tTestCo\tTest Company\n');
    assert.throws(() => KnowledgeBase.load({ dir }), (e: unknown) => e instanceof KnowledgeError && /wireshark-manuf|manuf/.test(e.message));
    const extended = KnowledgeBase.load({ dir, checkManifest: false });
    assert.equal(fromCache(extended), false);
    assert.equal(extended.vendorOf(0xfcffff000001)?.short, 'TestCo');
    // A malformed entry is never hidden by a cache of the good file.
    const text = readFileSync(manuf, 'utf8');
    writeFileSync(manuf, text.replace('00:00:0C\tCisco', '00:00:0G\tCisco'));
    assert.throws(() => KnowledgeBase.load({ dir, checkManifest: false }), (e: unknown) => e instanceof KnowledgeError && /3 to 6 hex octets/.test(e.message));
  });
});

test('a corrupt or foreign cache file is ignored and rewritten; cache: false and WARDLINE_KB_CACHE=off neither read nor write it', () => {
  withKbCopy((dir) => {
    KnowledgeBase.load({ dir });
    const good = readFileSync(CACHE(dir));
    // Same key, damaged body.
    writeFileSync(CACHE(dir), Buffer.concat([good.subarray(0, CACHE_HEADER), Buffer.from('not a v8 serialization')]));
    const a = KnowledgeBase.load({ dir });
    assert.equal(fromCache(a), false);
    assert.equal(fromCache(KnowledgeBase.load({ dir })), true, 'rewritten after the fallback');
    // Not a cache at all.
    writeFileSync(CACHE(dir), 'hello');
    assert.equal(fromCache(KnowledgeBase.load({ dir })), false);
    rmSync(join(dir, CACHE_DIR), { recursive: true });
    assert.equal(fromCache(KnowledgeBase.load({ dir, cache: false })), false);
    assert.equal(existsSync(CACHE(dir)), false);
    process.env.WARDLINE_KB_CACHE = 'off';
    try {
      KnowledgeBase.load({ dir });
      assert.equal(existsSync(CACHE(dir)), false);
    } finally {
      delete process.env.WARDLINE_KB_CACHE;
    }
  });
});
