// Robustness of the whole pipeline on damaged input: every corpus capture truncated at seeded
// points and with seeded random byte mutations. Nothing may throw past the engine, each run stays
// within a time bound, and a cut inside a record is reported as an incomplete input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CORPUS, haveCorpus } from '../src/testutil/corpus.js';
import { rng } from '../src/testutil/fuzz.js';
import { Analysis } from '../src/engine/analyze.js';
import { CaptureError } from '../src/capture/errors.js';

const TRUNCATIONS = 8;
const MUTATIONS = 6;
const MAX_MS = 5000;

function captures(dir: string, acc: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) captures(p, acc);
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/i.test(e)) acc.push(p);
  }
  return acc;
}

async function analyse(bytes: Uint8Array): Promise<{ incomplete: boolean; packets: number } | 'not_a_capture'> {
  try {
    const r = await new Analysis({ outDir: null }).runBuffer('fuzz', bytes);
    return { incomplete: r.incomplete, packets: r.inputs[0].packets };
  } catch (e) {
    if (e instanceof CaptureError && e.code === 'not_a_capture') return 'not_a_capture';
    throw e;
  }
}

const skip = !haveCorpus() && 'shared corpus not present';
const files = skip ? [] : captures(CORPUS);

test('damaged captures never crash the pipeline', { skip }, async () => {
  const r = rng(20261128);
  let runs = 0;
  let incomplete = 0;
  for (const f of files) {
    let data: Uint8Array = readFileSync(f);
    if (f.endsWith('.gz')) data = gunzipSync(data);
    const whole = await analyse(data);
    assert.notEqual(whole, 'not_a_capture', `${relative(CORPUS, f)} should open`);
    const variants: Uint8Array[] = [];
    for (let i = 0; i < TRUNCATIONS; i++) variants.push(data.subarray(0, 24 + Math.floor(r() * (data.length - 24))));
    for (let i = 0; i < MUTATIONS; i++) {
      const m = Uint8Array.from(data);
      const flips = 1 + Math.floor(r() * Math.max(1, m.length / 200));
      for (let k = 0; k < flips; k++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
      variants.push(m);
    }
    for (const v of variants) {
      const t0 = performance.now();
      let res;
      try {
        res = await analyse(v);
      } catch (e) {
        assert.fail(`${relative(CORPUS, f)} (${v.length} bytes) threw: ${(e as Error).stack}`);
      }
      const dt = performance.now() - t0;
      assert.ok(dt < MAX_MS, `${relative(CORPUS, f)} took ${dt.toFixed(0)} ms`);
      runs++;
      if (res !== 'not_a_capture' && res.incomplete) incomplete++;
    }
  }
  assert.ok(runs >= files.length * (TRUNCATIONS + MUTATIONS));
  // Most random cuts land inside a record and must be reported as such.
  assert.ok(incomplete > files.length, `only ${incomplete} incomplete inputs reported in ${runs} runs`);
});
