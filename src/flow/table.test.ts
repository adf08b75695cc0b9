// Flow table behaviour beyond the Zeek baselines: the memory cap evicts the least recently active
// connections and counts them, and uids stay unique and stable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { Analysis } from '../engine/analyze.js';
import { readFileSync } from 'node:fs';
import { connUid } from './uid.js';

const skip = !haveCorpus() && 'shared corpus not present';

test('past --max-flows the oldest connections are evicted, logged and counted', { skip }, async () => {
  const data = readFileSync(corpus('zeek', 'traces', 'wikipedia.pcap'));
  const all = await new Analysis({ outDir: null }).runBuffer('w', data);
  const capped = await new Analysis({ outDir: null, flow: { maxFlows: 4 } }).runBuffer('w', data);
  assert.ok(all.stats.flows > 8);
  assert.ok(capped.stats.flows_evicted > 0);
  assert.equal(capped.weirds['flow.evicted'], capped.stats.flows_evicted);
  assert.ok(capped.stats.peak_flows <= 4);
  // Every connection still ends up in conn.log: evicted ones are logged when evicted.
  assert.ok(capped.logs.conn >= all.logs.conn);
});

test('connection uids are unique within a run and the same across runs', { skip }, async () => {
  const data = readFileSync(corpus('zeek', 'traces', 'wikipedia.pcap'));
  const a = new Analysis({ outDir: null, keepConns: true });
  await a.runBuffer('w', data);
  const b = new Analysis({ outDir: null, keepConns: true });
  await b.runBuffer('w', data);
  const ua = a.conns.map((c) => connUid(c));
  assert.equal(new Set(ua).size, ua.length);
  assert.deepEqual(b.conns.map((c) => connUid(c)), ua);
  for (const u of ua) assert.match(u, /^C[0-9A-Za-z]{17}$/);
});
