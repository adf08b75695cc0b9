// Address text: IPv6 per RFC 5952 (checked against the WHATWG URL parser's canonical form, an
// independent implementation in Node), through the direct-mapped cache that formatAddr keeps.
// Synthetic addresses: the cache's collisions need thousands of distinct ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddr, formatMac } from './packet.js';

function reference(w: number[]): string {
  const groups: string[] = [];
  for (const x of w) groups.push((x >>> 16).toString(16), (x & 0xffff).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

test('IPv6 addresses format as RFC 5952 text, again and again through the cache', () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const addrs: number[][] = [];
  for (let i = 0; i < 20000; i++) {
    // Zero runs of varying length and place, so every "::" case appears.
    const w = [rnd(), rnd(), rnd(), rnd()].map((x, k) => (rnd() % 3 === 0 ? 0 : k === 1 && i % 5 === 0 ? x & 0xffff : x));
    if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) continue; // IPv4-mapped: dotted quad
    addrs.push(w);
  }
  for (let round = 0; round < 2; round++) {
    for (const w of addrs) assert.equal(formatAddr(w[0], w[1], w[2], w[3]), reference(w));
  }
  assert.equal(formatAddr(0, 0, 0, 0), '::');
  assert.equal(formatAddr(0, 0, 0xffff, 0x0a000001), '10.0.0.1');
});

test('MAC addresses format as colon-separated hex, again and again through the cache', () => {
  let seed = 777;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  // Far more addresses than the cache has entries, so entries collide and are replaced.
  const macs = [0, 1, 2 ** 48 - 1, 0x001b21aabbcc, 2 ** 32, 2 ** 32 - 1];
  for (let i = 0; i < 40_000; i++) macs.push((rnd() & 0xffff) * 2 ** 32 + rnd());
  const text = (m: number): string => m.toString(16).padStart(12, '0').match(/../g)!.join(':');
  for (let pass = 0; pass < 2; pass++) for (const m of macs) assert.equal(formatMac(m), text(m));
});

