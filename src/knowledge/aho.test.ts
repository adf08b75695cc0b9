import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubstringIndex } from './aho.js';

test('SubstringIndex finds every pattern inside a text once, including overlapping ones', () => {
  const idx = new SubstringIndex<string>();
  for (const p of ['he', 'she', 'his', 'hers', 'Mac OS X', 'like Mac OS X']) idx.add(p, p);
  idx.add('he', 'he again');
  assert.deepEqual(idx.search('ushers').sort(), ['he', 'he again', 'hers', 'she']);
  assert.deepEqual(idx.search('CPU iPhone OS 17_0 like Mac OS X').sort(), ['Mac OS X', 'like Mac OS X']);
  assert.deepEqual(idx.search('hehehe'), ['he', 'he again']);
  assert.deepEqual(idx.search(''), []);
  assert.deepEqual(idx.search('nothing here?'), ['he', 'he again']);
});

test('SubstringIndex agrees with String.includes() on random data', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const word = (len: number): string => Array.from({ length: len }, () => 'abc,1'[rnd(5)]).join('');
  const patterns = Array.from({ length: 200 }, () => word(1 + rnd(6)));
  const idx = new SubstringIndex<number>();
  patterns.forEach((p, i) => idx.add(p, i));
  for (let t = 0; t < 300; t++) {
    const text = word(rnd(40));
    const want = patterns.map((p, i) => (text.includes(p) ? i : -1)).filter((i) => i >= 0).sort((a, b) => a - b);
    assert.deepEqual(idx.search(text).sort((a, b) => a - b), want, text);
  }
});
