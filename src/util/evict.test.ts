import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evictOldest } from './evict.js';

test('evictOldest returns what a fresh iterator would, through sets, deletes, re-sets and clear()', () => {
  // Reference: the plain `m.keys().next()` this helper replaces, on a twin map.
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let evictions = 0;
  for (let i = 0; i < 100_000; i++) {
    const k = `k${Math.floor(rnd() * 5000)}`;
    const op = rnd();
    if (op < 0.5) {
      if (a.size >= 300 && !a.has(k)) {
        const want = b.entries().next().value!;
        b.delete(want[0]);
        assert.deepEqual(evictOldest(a), want);
        evictions++;
      }
      a.set(k, i);
      b.set(k, i);
    } else if (op < 0.7) {
      a.delete(k);
      b.delete(k);
    } else if (op < 0.701) {
      a.clear();
      b.clear();
    } else {
      a.delete(k);
      a.set(k, i);
      b.delete(k);
      b.set(k, i);
    }
  }
  assert.ok(evictions > 5_000, `only ${evictions} evictions`);
  assert.deepEqual([...a], [...b]);
  assert.equal(evictOldest(new Map()), undefined);
});

test('evictOldest deletes through the map\'s own delete() (a subclass sees it)', () => {
  class Logged extends Map<number, string> {
    deleted: number[] = [];
    override delete(k: number): boolean {
      this.deleted.push(k);
      return super.delete(k);
    }
  }
  const m = new Logged([[1, 'a'], [2, 'b']]);
  assert.deepEqual(evictOldest(m), [1, 'a']);
  assert.deepEqual([...m.keys()], [2]);
  assert.deepEqual(m.deleted, [1]);
});

test('evictOldest keeps evicting in insertion order once the map was emptied and refilled', () => {
  const m = new Map<number, number>();
  for (let i = 0; i < 5; i++) m.set(i, i);
  for (let i = 0; i < 5; i++) assert.equal(evictOldest(m)![0], i);
  assert.equal(evictOldest(m), undefined);
  m.set(10, 0);
  m.set(11, 0);
  assert.equal(evictOldest(m)![0], 10);
});
