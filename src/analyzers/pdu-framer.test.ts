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

test('a streamed PDU: its head is kept, every byte after the streaming point reaches body once, in order, whatever the segmentation', { skip }, async () => {
  const bytes = await stream();
  const pdus = splitPdus(bytes, nbssLength);
  const big = pdus.reduce((a, b) => (b.length > a.length ? b : a));
  assert.ok(big.length > 200, `largest PDU ${big.length} bytes`);
  const FROM = 100;
  const r = rng(11);
  for (let round = 0; round < 30; round++) {
    // Every split PDU longer than FROM is streamed; each PDU's head plus its streamed bytes must be the PDU.
    let k = 0;
    let streaming = false;
    let body: number[] = [];
    let streamedPdus = 0;
    let lost = 0;
    const f = new PduFramer(
      { maxHeader: 8, maxKeep: 1 << 20, lengthOf: nbssLength, findStart: findNbssStart, peek: 64 },
      {
        pdu: (b, o, n, total, damaged) => {
          const want = pdus[k++];
          assert.equal(total, want.length);
          assert.ok(!damaged);
          const got = Buffer.concat([Buffer.from(b.subarray(o, o + n)), Buffer.from(body)]);
          if (streaming) assert.equal(n, FROM);
          assert.equal(got.toString('hex'), Buffer.from(want).toString('hex'));
          streaming = false;
          body = [];
        },
        large: (b, o, n, total) => {
          assert.ok(n >= Math.min(64, total));
          assert.equal(total, pdus[k].length);
          if (total <= FROM) return -1;
          streaming = true;
          streamedPdus++;
          return FROM;
        },
        body: (b, o, n) => {
          assert.ok(streaming);
          for (let i = 0; i < n; i++) body.push(b[o + i]);
        },
        bodyGap: (n) => (lost += n),
      },
    );
    for (let p = 0; p < bytes.length; ) {
      const n = round === 0 ? 1 : 1 + Math.floor(r() * 300);
      assert.ok(f.push(bytes, p, Math.min(n, bytes.length - p)));
      p += n;
    }
    assert.equal(k, pdus.length);
    assert.equal(lost, 0);
    assert.ok(streamedPdus > 0);
  }
  // A hole in the streamed part reaches bodyGap, not body; framing carries on.
  const heads: Got[] = [];
  let streamed = 0;
  let lost = 0;
  const f = new PduFramer(
    { maxHeader: 8, maxKeep: 1 << 20, lengthOf: nbssLength, findStart: findNbssStart, peek: 64 },
    {
      pdu: (b, o, n, total, damaged) => heads.push({ hex: '', total, damaged }),
      large: (_b, _o, _n, total) => (total === big.length ? FROM : -1),
      body: (_b, _o, n) => (streamed += n),
      bodyGap: (n) => (lost += n),
    },
  );
  const start = pdus.slice(0, pdus.indexOf(big)).reduce((a, p) => a + p.length, 0);
  f.push(bytes, 0, start + FROM + 10);
  f.gap(30);
  f.push(bytes, start + FROM + 40, bytes.length - (start + FROM + 40));
  assert.equal(lost, 30);
  assert.equal(streamed, big.length - FROM - 30);
  assert.equal(heads.length, pdus.length);
  assert.ok(heads.find((g) => g.total === big.length)!.damaged);
});
