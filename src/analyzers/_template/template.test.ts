// The template analyzer's own tests. Synthetic input: the template protocol exists only to be
// copied, so no real capture of it exists. Real analyzers test against ../shared/corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from './parse.js';
import { probe } from './probe.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { fuzzParser } from '../../testutil/fuzz.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('parseLine() reads a verb and its argument', () => {
  const r = parseLine(enc('HELLO pump-7\r\nrest'), 0, 18);
  assert.deepEqual(r, { verb: 'HELLO', arg: 'pump-7', consumed: 14 });
});

test('parseLine() asks for more bytes until the line ends', () => {
  assert.equal(parseLine(enc('HELLO pu'), 0, 8), 'need_more');
});

test('parseLine() rejects a line that is not a verb', () => {
  assert.equal(parseLine(enc('\x00\x01junk\n'), 0, 7), 'bad');
});

test('probe() recognises a client greeting and nothing else', () => {
  assert.equal(probe(enc('HELLO x'), 0, 7, true), PROBE_YES);
  assert.equal(probe(enc('GET / HTTP/1.1'), 0, 14, true), PROBE_NO);
});

test('parseLine() survives truncation and mutation of its input', () => {
  fuzzParser([enc('HELLO pump-7\r\n'), enc('OK welcome\r\n')], (b) => {
    parseLine(b, 0, b.length);
  });
});
