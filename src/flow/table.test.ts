// Flow table behaviour beyond the Zeek baselines: the memory cap evicts the least recently active
// connections and counts them, and uids stay unique and stable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { Analysis } from '../engine/analyze.js';
import { readFileSync } from 'node:fs';
import { connUid } from './uid.js';
import { writeUdpPcap } from '../testutil/pcapwriter.js';

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

test('copies of one flow to neighbouring ports keep apart uids (synthetic: a SPAN of two listeners)', async () => {
  // Three flows opened at one instant from one client: the second and third differ only in their
  // port (8009, 8010: XOR 3) and in their creation serials (1, 2: XOR 3 too), as nDPI's AJP capture's
  // copies to 8009 and 8010 do; the serial once cancelled out against the ports.
  const payload = Uint8Array.from([1, 2, 3]);
  const path = writeUdpPcap([8000, 8009, 8010].map((dport) => ({ ts: 1700000000, src: '10.0.0.1', sport: 40000, dst: '10.0.0.2', dport, payload })));
  const a = new Analysis({ outDir: null, keepConns: true });
  await a.runBuffer('copies', readFileSync(path));
  const uids = a.conns.map((c) => connUid(c));
  assert.equal(uids.length, 3);
  assert.equal(new Set(uids).size, 3);
});
