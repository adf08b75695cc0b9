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

// A snap length cuts segments: their captured bytes are delivered and the rest is a gap at once,
// whether the segment came in order or waited behind a hole (see http/snaplen.test.ts for real
// cut captures).
test('a segment cut by the capture delivers its bytes, then its lost tail as a gap, at once', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  ra.add(1, bytes(10), 0, 4, 10); // 1..10 on the wire, 1..4 captured
  assert.deepEqual(c.out, [0, 1, 2, 3]);
  assert.deepEqual(c.gaps, [6]);
  ra.add(11, bytes(10, 20), 0, 10); // the next segment follows without waiting
  assert.equal(c.out.length, 14);
  ra.add(1, bytes(10), 0, 10); // a whole retransmission of the cut one is old news
  assert.equal(c.out.length, 14);
});

test('a cut segment held behind a hole delivers its tail gap when the hole is settled', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  ra.add(11, bytes(10, 50), 0, 3, 10); // 11..20 on the wire, 11..13 captured: out of order
  ra.add(21, bytes(5, 90), 0, 5); // 21..25
  assert.deepEqual(c.out, []);
  ra.add(1, bytes(10), 0, 10); // fills 1..10
  assert.deepEqual(c.out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 51, 52, 90, 91, 92, 93, 94]);
  assert.deepEqual(c.gaps, [7]);
});

test('a cut segment whose captured part was already delivered still settles its tail', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  ra.add(1, bytes(4), 0, 4); // 1..4
  ra.add(1, bytes(10), 0, 4, 10); // the same bytes again, now known to run to 10
  assert.deepEqual(c.gaps, [6]);
  ra.add(11, bytes(2, 7), 0, 2);
  assert.deepEqual(c.out, [0, 1, 2, 3, 7, 8]);
});

test('fuzz: segments cut at random, in any order, retransmitted: every byte is delivered or skipped once, in place', () => {
  const r = rng(2727);
  for (let round = 0; round < 300; round++) {
    const total = 200 + Math.floor(r() * 2000);
    const data = bytes(total, round);
    const segs: [number, number, number][] = [];
    for (let s = 0; s < total; ) {
      const len = Math.min(total - s, 1 + Math.floor(r() * 300));
      const cap = r() < 0.4 ? Math.floor(r() * len) : len;
      segs.push([s, cap, len]);
      s += len;
    }
    const order = [...segs, ...segs.filter(() => r() < 0.2)].sort(() => r() - 0.5);
    const got = new Map<number, number>();
    let pos = 0;
    let gapped = 0;
    const ra = new StreamReassembler(
      {
        data: (b, o, l) => {
          for (let i = 0; i < l; i++) got.set(pos + i, b[o + i]);
          pos += l;
        },
        gap: (n) => {
          pos += n;
          gapped += n;
        },
      },
      4096,
    );
    for (const [s, cap, len] of order) if (cap > 0) ra.add(1 + s, data, s, cap, len);
    ra.acked(1 + total);
    ra.finish();
    assert.equal(pos, total, `round ${round}: every byte accounted for`);
    assert.equal(got.size + gapped, total);
    for (const [p, v] of got) assert.equal(v, data[p], `round ${round}: byte ${p} in place`);
  }
});

test('a cut segment skips only what no held copy has: a full retransmission held out of order is delivered', () => {
  const c = collector();
  const ra = new StreamReassembler(c.sink);
  const data = bytes(20);
  ra.add(6, data, 5, 10); // 6..15 whole, held: 1..5 missing yet
  ra.add(1, data, 0, 3, 15); // 1..15 on the wire, 1..3 captured
  // 1..3 delivered, 4..5 lost, 6..15 from the held copy.
  assert.deepEqual(c.out, Array.from(data.subarray(0, 3)).concat(Array.from(data.subarray(5, 15))));
  assert.deepEqual(c.gaps, [2]);
});
