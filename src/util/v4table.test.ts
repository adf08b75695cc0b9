import { test } from 'node:test';
import assert from 'node:assert/strict';
import { V4PairCache, V4PairTable, V4Table } from './v4table.js';

// Synthetic: these are data structures; every key pattern below is checked against a Map.
const rand = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed);

test('V4Table agrees with a Map through growth, for addresses past the small-integer range', () => {
  const t = new V4Table<number>();
  const m = new Map<number, number>();
  const r = rand(7);
  for (let i = 0; i < 50_000; i++) {
    const k = i % 3 === 0 ? 0xc0a80000 + (i % 700) : r();
    t.set(k, i);
    if (k !== 0) m.set(k, i);
  }
  assert.equal(t.size, m.size);
  for (const [k, v] of m) assert.equal(t.get(k), v);
  assert.equal(t.get(0), undefined, '0.0.0.0 is never stored');
  assert.equal(t.get(0x0a000001), m.get(0x0a000001));
});

test('V4PairTable agrees with a Map through growth; ordered pairs are distinct', () => {
  const t = new V4PairTable();
  const m = new Map<string, number>();
  const r = rand(11);
  for (let i = 0; i < 60_000; i++) {
    const a = i % 5 === 0 ? 0xc0a80001 : r();
    const b = i % 7 === 0 ? 0xffffffff : r() & 0xffff;
    const k = `${a >>> 0}|${b >>> 0}`;
    if (!m.has(k)) assert.equal(t.get(a, b), -1);
    t.set(a, b, i);
    m.set(k, i);
  }
  assert.equal(t.size, m.size);
  for (const [k, v] of m) {
    const [a, b] = k.split('|').map(Number);
    assert.equal(t.get(a, b), v);
  }
  t.set(0x0a000001, 0x0a000002, 5);
  assert.equal(t.get(0x0a000002, 0x0a000001), -1, '(a, b) and (b, a) are different pairs');
  t.set(0, 0, 0);
  assert.equal(t.get(0, 0), 0, 'the pair of 0.0.0.0 and value 0 are stored');
});

test('V4PairCache holds recent ordered pairs with their time, forgets on a collision, never grows', () => {
  const c = new V4PairCache(4);
  assert.ok(Number.isNaN(c.get(1, 2)));
  c.set(0x0a000001, 0x0a000002, 12.5);
  assert.equal(c.get(0x0a000001, 0x0a000002), 12.5);
  assert.ok(Number.isNaN(c.get(0x0a000002, 0x0a000001)), 'ordered');
  c.set(0x0a000001, 0x0a000002, 13);
  assert.equal(c.get(0x0a000001, 0x0a000002), 13);
  // 16 slots: of 1,000 pairs set, only the last one of each slot remains, and every hit is right.
  for (let i = 0; i < 1000; i++) c.set(0xc0a80000 + i, 0x0a000009, i);
  let held = 0;
  for (let i = 0; i < 1000; i++) {
    const t = c.get(0xc0a80000 + i, 0x0a000009);
    if (!Number.isNaN(t)) {
      held++;
      assert.equal(t, i);
    }
  }
  assert.ok(held > 0 && held <= 16, String(held));
  // Addresses above 2^31 (unsigned) are the same pairs as their signed forms.
  c.set(0xfffffffe, 0x80000001, 7);
  assert.equal(c.get(0xfffffffe, 0x80000001), 7);
});
