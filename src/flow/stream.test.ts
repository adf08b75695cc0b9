// Stream reassembly: in-order delivery from any arrival order, retransmissions and overlaps
// delivered once, holes reported as gaps when acknowledged or when the byte cap is hit.
// Synthetic segment orders: the cases are about ordering, which no single capture covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamReassembler } from './stream.js';
import { rng } from '../testutil/fuzz.js';

function collector(): { out: number[]; gaps: number[]; sink: { data(b: Uint8Array, o: number, l: number): void; gap(n: number): void } } {
  const out: number[] = [];
  const gaps: number[] = [];
  return {
    out,
    gaps,
    sink: {
      data: (b, o, l) => {
        for (let i = 0; i < l; i++) out.push(b[o + i]);
      },
      gap: (n) => gaps.push(n),
    },
  };
}

const bytes = (n: number, base = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (base + i) & 255);

test('segments in any order are delivered once, in order', () => {
  const data = bytes(1000);
  const segs: [number, number][] = [];
  for (let s = 0; s < 1000; s += 100) segs.push([s, 100]);
  const r = rng(7);
  for (let round = 0; round < 20; round++) {
    const order = [...segs, ...segs.slice(0, 3)].sort(() => r() - 0.5);
    const c = collector();
    const ra = new StreamReassembler(c.sink);
    for (const [s, l] of order) ra.add(1 + s, data, s, l);
    assert.deepEqual(c.out, Array.from(data));
    assert.deepEqual(c.gaps, []);
  }
});

test('overlapping retransmissions deliver each byte once, first copy wins', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  const a = bytes(10);
  ra.add(1, a, 0, 6);
  ra.add(4, bytes(10, 100), 0, 8); // seq 4..11: 4..6 were delivered already
  assert.deepEqual(c.out, [0, 1, 2, 3, 4, 5, 103, 104, 105, 106, 107]);
});

test('an acknowledged hole is reported as a gap and delivery resumes after it', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  ra.add(1, bytes(5), 0, 5); // 1..5
  ra.add(11, bytes(5, 50), 0, 5); // 11..15, hole 6..10
  assert.equal(c.out.length, 5);
  ra.acked(16);
  assert.deepEqual(c.gaps, [5]);
  assert.deepEqual(c.out.slice(5), [50, 51, 52, 53, 54]);
});

test('the out-of-order buffer is bounded: past the cap the hole is skipped', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink, 1000);
  ra.add(1, bytes(10), 0, 10);
  for (let k = 0; k < 5; k++) ra.add(100 + k * 400, bytes(400), 0, 400);
  assert.ok(c.gaps.length >= 1, 'a gap was reported');
  assert.ok(c.out.length > 10, 'delivery resumed after the skipped hole');
});
