// The ClientHello fingerprint memo against direct computation. Synthetic hellos: what is tested
// is that a remembered answer is only ever given for the very same hello (real hellos are
// checked against Arkime, nDPI and suricata-verify in tls.corpus.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientFingerprints, ja3String, ja4, md5, type ClientHelloFacts } from './fingerprint.js';

function direct(h: ClientHelloFacts, t: 't' | 'q' | 'd'): { ja3String: string; ja3: string; ja4: string; ja4_r: string } {
  const js = ja3String(h);
  const j4 = ja4(h, t);
  return { ja3String: js, ja3: md5(js), ja4: j4.ja4, ja4_r: j4.ja4_r };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function hello(r: () => number): ClientHelloFacts {
  const list = (n: number, max: number) => Array.from({ length: Math.floor(r() * n) }, () => Math.floor(r() * max));
  const exts = list(12, 0x40);
  return {
    version: r() < 0.5 ? 0x0303 : 0x0301,
    ciphers: list(20, 0x10000),
    extensions: exts,
    groups: list(6, 0x40),
    pointFormats: list(3, 3),
    supportedVersions: r() < 0.5 ? [0x0304, 0x0303] : [],
    sigAlgs: list(8, 0x900),
    alpn: r() < 0.5 ? ['h2', 'http/1.1'] : r() < 0.5 ? ['\u0001x'] : [],
    hasSni: exts.includes(0),
  };
}

test('clientFingerprints() gives what computing JA3 and JA4 directly gives, remembered or not', () => {
  const r = rng(7);
  const hellos = Array.from({ length: 300 }, () => hello(r));
  for (let pass = 0; pass < 2; pass++) {
    for (const h of hellos) {
      for (const t of ['t', 'd'] as const) assert.deepEqual(clientFingerprints(h, t), direct(h, t));
    }
  }
});

test('a hello differing in any one field, or in transport, never gets another hello\'s fingerprint', () => {
  const base: ClientHelloFacts = {
    version: 0x0303,
    ciphers: [0x1301, 0x1302, 0xc02b],
    extensions: [0, 10, 11, 13, 16, 43],
    groups: [29, 23],
    pointFormats: [0],
    supportedVersions: [0x0304, 0x0303],
    sigAlgs: [0x0403, 0x0804],
    alpn: ['h2'],
    hasSni: true,
  };
  const variants: ClientHelloFacts[] = [
    { ...base, version: 0x0301 },
    { ...base, ciphers: [0x1301, 0xc02b, 0x1302] },
    { ...base, extensions: [0, 10, 11, 13, 16] },
    { ...base, groups: [23, 29] },
    { ...base, pointFormats: [] },
    { ...base, supportedVersions: [0x0303] },
    { ...base, sigAlgs: [0x0804, 0x0403] },
    { ...base, alpn: ['h3'] },
    { ...base, alpn: ['h2', 'h3'] },
    { ...base, hasSni: false },
  ];
  clientFingerprints(base, 't');
  for (const v of variants) assert.deepEqual(clientFingerprints(v, 't'), direct(v, 't'));
  assert.deepEqual(clientFingerprints(base, 'd'), direct(base, 'd'));
  // The remembered copy is the memo's own: changing the caller's arrays afterwards changes nothing.
  const mine = { ...base, ciphers: base.ciphers.slice() };
  const before = clientFingerprints(mine, 't');
  mine.ciphers.push(0x009c);
  assert.deepEqual(clientFingerprints(mine, 't'), direct(mine, 't'));
  assert.notDeepEqual(clientFingerprints(mine, 't'), before);
});
