// PduFramer on a real SMB stream: the same PDUs whatever the segmentation, bounded copies of
// large PDUs, holes inside a PDU keep framing, holes between PDUs are recovered by findStart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { recordStreams, splitPdus } from '../testutil/recorded.js';
import { rng } from '../testutil/fuzz.js';
import { PduFramer } from './pdu-framer.js';
import { findNbssStart, nbssLength } from './smb/parse.js';

const skip = !haveCorpus() && 'shared corpus not present';

interface Got {
  hex: string;
  total: number;
  damaged: boolean;
}

function framer(out: Got[], maxKeep = 1 << 20): PduFramer {
  return new PduFramer(
    { maxHeader: 8, maxKeep, lengthOf: nbssLength, findStart: findNbssStart },
    { pdu: (b, o, n, total, damaged) => out.push({ hex: Buffer.from(b.subarray(o, o + n)).toString('hex'), total, damaged }) },
  );
}

async function stream(): Promise<Uint8Array> {
  const [s] = (await recordStreams(corpus('zeek/traces/smb/smb2readwrite.pcap'))).filter((x) => x.rPort === 445);
  return s.resp;
}

test('PduFramer yields the same PDUs for any segmentation of a real SMB stream', { skip }, async () => {
  const bytes = await stream();
  const want = splitPdus(bytes, nbssLength).map((p) => Buffer.from(p).toString('hex'));
  assert.ok(want.length > 10);
  const r = rng(7);
  for (let round = 0; round < 20; round++) {
    const got: Got[] = [];
    const f = framer(got);
    for (let p = 0; p < bytes.length; ) {
      const n = round === 0 ? 1 : 1 + Math.floor(r() * 700);
      assert.ok(f.push(bytes, p, Math.min(n, bytes.length - p)));
      p += n;
    }
    assert.deepEqual(
      got.map((g) => g.hex),
      want,
    );
  }
});

test('PduFramer keeps at most maxKeep bytes of a PDU and reports its announced size', { skip }, async () => {
  const bytes = await stream();
  const pdus = splitPdus(bytes, nbssLength);
  const big = pdus.reduce((a, b) => (b.length > a.length ? b : a));
  const got: Got[] = [];
  const f = framer(got, 256);
  for (let p = 0; p < bytes.length; p += 100) f.push(bytes, p, Math.min(100, bytes.length - p));
  const g = got.find((x) => x.total === big.length)!;
  assert.ok(big.length > 256);
  assert.equal(g.hex.length / 2, 256);
  assert.equal(g.hex, Buffer.from(big.subarray(0, 256)).toString('hex'));
});

test('a hole inside a PDU marks it damaged and keeps framing; a hole between PDUs is resynchronised', { skip }, async () => {
  const bytes = await stream();
  const pdus = splitPdus(bytes, nbssLength);
  const i = pdus.findIndex((p) => p.length > 200);
  const start = pdus.slice(0, i).reduce((a, p) => a + p.length, 0);
  const got: Got[] = [];
  const f = framer(got);
  f.push(bytes, 0, start + 50);
  f.gap(20);
  f.push(bytes, start + 70, bytes.length - (start + 70));
  assert.equal(got.length, pdus.length);
  assert.deepEqual(
    got.map((g) => g.damaged),
    pdus.map((_p, k) => k === i),
  );
  // A hole that swallows the end of one PDU and the start of the next: framing is lost until a
  // message start shows up again.
  const got2: Got[] = [];
  const f2 = framer(got2);
  f2.push(bytes, 0, start + 50);
  f2.gap(pdus[i].length);
  assert.ok(f2.lost);
  const resume = start + 50 + pdus[i].length;
  f2.push(bytes, resume, bytes.length - resume);
  assert.ok(got2.length >= pdus.length - i - 3, `resynchronised: ${got2.length} PDUs`);
  assert.ok(got2.slice(i).every((g) => !g.damaged));
});
