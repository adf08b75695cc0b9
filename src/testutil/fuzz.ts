// Robustness harness for parsers: every truncation of each seed, then seeded random mutations
// (byte flips, insertions, deletions, length-field smashing). A parser may return anything but
// must not throw or take more than `maxMs` on one input.
import assert from 'node:assert/strict';

/** Small deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(seed: Uint8Array, r: () => number): Uint8Array {
  const b = Array.from(seed);
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const op = Math.floor(r() * 5);
    const pos = Math.floor(r() * Math.max(1, b.length));
    if (op === 0 && b.length) b[pos] = Math.floor(r() * 256);
    else if (op === 1) b.splice(pos, 0, Math.floor(r() * 256));
    else if (op === 2 && b.length) b.splice(pos, 1);
    else if (op === 3 && b.length) b[pos] = r() < 0.5 ? 0xff : 0x00;
    else if (op === 4 && b.length > 1) b[pos] ^= 1 << Math.floor(r() * 8);
  }
  return Uint8Array.from(b);
}

export function fuzzParser(seeds: Uint8Array[], run: (b: Uint8Array) => void, opts: { mutations?: number; seed?: number; maxMs?: number } = {}): void {
  const r = rng(opts.seed ?? 1);
  const maxMs = opts.maxMs ?? 200;
  const check = (b: Uint8Array, what: string): void => {
    const t0 = performance.now();
    try {
      run(b);
    } catch (e) {
      assert.fail(`parser threw on ${what} (${b.length} bytes): ${(e as Error).message}`);
    }
    const dt = performance.now() - t0;
    assert.ok(dt < maxMs, `parser took ${dt.toFixed(0)} ms on ${what}`);
  };
  for (const s of seeds) {
    for (let n = 0; n <= s.length; n++) check(s.subarray(0, n), `truncation at ${n}`);
    const muts = opts.mutations ?? 300;
    for (let i = 0; i < muts; i++) check(mutate(s, r), `mutation ${i}`);
  }
}
