// Stratum on nDPI's mining captures (test/fixtures/ndpi/ndpi-stratum.pcap): EWBF mining Zcash
// with two flypool servers (Stratum v1), xmr-stak-cpu mining Monero (CryptoNote's login/job/
// submit) and an Ethereum miner (eth_submitLogin/eth_getWork). Expectations: ndpiReader 4.2's
// labels (ndpi-stratum.pcap.out: Mining, with its ZCash/Monero and ETH sub-labels) and the
// JSON-RPC lines themselves, read back by this test from tshark 4.0's TCP payloads in
// sequence order (ndpi-stratum.tshark.tsv; tshark has no Stratum dissector).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { StratumAnalyzer } from './analyzer.js';
import { parseStratumLine } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-stratum.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Side {
  lines: Record<string, unknown>[];
}

/**
 * Each TCP stream's JSON lines per direction, from tshark's payloads ordered by sequence number
 * (a segment seen twice counted once). tshark's analysis flags frame 459 of stream 3 as a
 * retransmission; by its sequence number it fills the hole before frame 457 (seq 2700–3010),
 * so it is data, and it is read here.
 */
function streams(): Map<number, { client: string; server: string; c: Side; s: Side }> {
  const segs = new Map<string, Map<number, Buffer>>();
  const firstSrc = new Map<number, string>();
  for (const l of readFileSync(join(DIR, 'ndpi-stratum.tshark.tsv'), 'utf8').split('\n')) {
    if (l === '') continue;
    const [, stream, src, sport, seq, hex] = l.split('\t');
    const s = Number(stream);
    const from = `${src}:${sport}`;
    if (!firstSrc.has(s)) firstSrc.set(s, from);
    const key = `${s}|${from}`;
    if (!segs.has(key)) segs.set(key, new Map());
    segs.get(key)!.set(Number(seq), Buffer.from(hex, 'hex'));
  }
  const out = new Map<number, { client: string; server: string; c: Side; s: Side }>();
  for (const [key, m] of segs) {
    const [s, from] = key.split('|');
    const text = Buffer.concat([...m].sort((a, b) => a[0] - b[0]).map((x) => x[1])).toString('utf8');
    const lines = text.split('\n').filter((x) => x.trim() !== '').map((x) => JSON.parse(x) as Record<string, unknown>);
    const n = Number(s);
    const e = out.get(n) ?? { client: '', server: '', c: { lines: [] }, s: { lines: [] } };
    if (firstSrc.get(n) === from) {
      e.client = from;
      e.c.lines = lines;
    } else {
      e.server = from;
      e.s.lines = lines;
    }
    out.set(n, e);
  }
  return out;
}

const SHARES = new Set(['mining.submit', 'submit', 'eth_submitWork']);
const LOGINS = new Set(['mining.authorize', 'login', 'eth_submitLogin']);

test("stratum.log: each miner's dialect, software, login, pool and work as its JSON-RPC lines say; conn.log stratum on every flow nDPI calls Mining", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-stratum.pcap.out'));
  assert.deepEqual(ndpi.map((f) => f.app), ['Mining', 'Mining', 'Mining', 'Mining']);
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      const c = run.conns.find((x) => (x.oPort === f.aPort && x.rPort === f.bPort) || (x.oPort === f.bPort && x.rPort === f.aPort))!;
      assert.equal(c.service, 'stratum', f.line);
    }
    const log = run.log('stratum');
    assert.equal(log.length, 4);
    for (const st of streams().values()) {
      const l = log.find((r) => `${r['id.orig_h']}:${r['id.orig_p']}` === st.client)!;
      assert.ok(l, st.client);
      assert.equal(`${l['id.resp_h']}:${l['id.resp_p']}`, st.server);
      const c = st.c.lines;
      const s = st.s.lines;
      // Methods in the order first seen, either side (the pool's notifications interleave).
      const ordered: string[] = [];
      // The log keeps first-seen order across both directions as they arrived; compare as sets
      // and check the client's first method leads.
      for (const x of [...c, ...s]) if (typeof x.method === 'string' && !ordered.includes(x.method)) ordered.push(x.method);
      assert.deepEqual([...(l.methods as string[])].sort(), [...ordered].sort(), st.client);
      assert.equal((l.methods as string[])[0], c[0].method);
      const shares = c.filter((x) => SHARES.has(String(x.method)));
      assert.equal(l.shares, shares.length, `shares of ${st.client}`);
      // Answers pair with requests by id, in order (xmr-stak sends every submit with id 1).
      const pending = new Map<unknown, string[]>();
      for (const x of c) if (SHARES.has(String(x.method)) || LOGINS.has(String(x.method))) pending.set(x.id, [...(pending.get(x.id) ?? []), String(x.method)]);
      let accepted = 0;
      let rejected = 0;
      let authorized: boolean | null = null;
      let jobs = 0;
      for (const x of s) {
        if (x.method === 'mining.notify' || x.method === 'job') jobs++;
        if (typeof x.method === 'string') continue;
        const r = x.result;
        if (r !== null && typeof r === 'object' && !Array.isArray(r) && 'job' in r) jobs++;
        const ok = (x.error === null || x.error === undefined) && r !== false && r !== null && r !== undefined;
        const q = pending.get(x.id);
        const m = q?.shift();
        if (m === undefined) {
          // The Ethereum pool pushes work as answers with id 0 (no request of that id).
          if (x.id === 0 && ok) jobs++;
          continue;
        }
        if (LOGINS.has(m)) authorized = ok;
        else if (ok) accepted++;
        else rejected++;
      }
      assert.deepEqual([l.accepted, l.rejected, l.authorized, l.jobs], [accepted, rejected, authorized, jobs], st.client);
      const login = c.find((x) => LOGINS.has(String(x.method)))!;
      const p = login.params as unknown;
      const user = Array.isArray(p) ? p[0] : (p as Record<string, unknown>).login;
      assert.equal(l.user, user);
      assert.equal(l.password, '<redacted>');
      const sub = c.find((x) => x.method === 'mining.subscribe');
      if (sub !== undefined) {
        const sp = sub.params as unknown[];
        assert.deepEqual([l.dialect, l.agent, l.pool_host], ['stratum', sp[0], sp[2]]);
      } else if (login.method === 'login') {
        assert.deepEqual([l.dialect, l.agent], ['cryptonote', (p as Record<string, unknown>).agent]);
      } else assert.equal(l.dialect, 'ethereum');
    }
    // The numbers the capture holds, for the reader: flypool's EWBF miner submitted 46 shares, 45
    // accepted and one rejected; xmr-stak-cpu's 30 were all accepted.
    const ewbf = log.find((r) => r['id.resp_h'] === '94.23.199.191')!;
    assert.deepEqual([ewbf.shares, ewbf.accepted, ewbf.rejected, ewbf.agent, ewbf.pool_host], [46, 45, 1, 'EWBF 0.3.4b', 'eu1-zcash.flypool.org']);
    const xmr = log.find((r) => r.dialect === 'cryptonote')!;
    assert.deepEqual([xmr.shares, xmr.accepted, xmr.jobs], [30, 30, 11]);
    // The miners' software (software.log), on the miner's address.
    const sw = run.log('software').filter((r) => r.software_type === 'STRATUM::MINER');
    assert.deepEqual(sw.map((r) => [r.host, r.unparsed_version]).sort(), [
      ['192.168.2.148', 'EWBF 0.3.4b'],
      ['192.168.2.92', 'xmr-stak-cpu/1.3.0-1.5.0'],
    ]);
    // Passwords never appear: every one of these miners sent "x".
    assert.ok(!readFileSync(join(run.outDir, 'logs', 'stratum.log'), 'utf8').includes('"x"'));
  } finally {
    run.cleanup();
  }
});

test('a connection joined mid-way (synthetic: no capture starts inside a mining session): the pool\'s job and the miner\'s share confirm it, marked midstream', () => {
  const out = feedAnalyzer(new StratumAnalyzer(), [
    { isOrig: false, bytes: enc('{"id":null,"method":"mining.notify","params":["1f","00",true]}\n') },
    { isOrig: true, bytes: enc('{"id":7,"method":"mining.submit","params":["w.1","1f","00","5a","0a"]}\n') },
    { isOrig: false, bytes: enc('{"id":7,"result":false,"error":[23,"Low difficulty share",null]}\n') },
  ]);
  assert.deepEqual(out.services, ['stratum']);
  const mining = out.events.filter((e) => e.type === 'stratum.mining');
  assert.equal(mining.length, 1);
  const s = out.events.find((e) => e.type === 'stratum.session')!;
  assert.deepEqual([s.midstream, s.jobs, s.shares, s.accepted, s.rejected, s.user], [true, 1, 1, 0, 1, '']);
});

test('plain JSON-RPC that is not mining is released, and the probe wants a mining method', () => {
  const rpc = enc('{"jsonrpc":"2.0","method":"getblockcount","params":[],"id":1}\n');
  assert.equal(probe(rpc, 0, rpc.length, true), PROBE_NO);
  const sub = enc('{"id":1,"method":"mining.subscribe","params":[]}\n');
  assert.equal(probe(sub, 0, sub.length, true), PROBE_YES);
  assert.equal(probe(sub, 0, 10, true), PROBE_MAYBE);
  // A pool notification from the client side is not the client's method.
  const job = enc('{"jsonrpc":"2.0","method":"job","params":{}}\n');
  assert.equal(probe(job, 0, job.length, false), PROBE_YES);
  assert.equal(probe(job, 0, job.length, true), PROBE_NO);
  assert.equal(probe(enc('GET / HTTP/1.1'), 0, 14, true), PROBE_NO);
  const out = feedAnalyzer(new StratumAnalyzer(), [{ isOrig: true, bytes: rpc }]);
  assert.deepEqual(out.services, []);
  assert.equal(out.events.length, 0);
});

test('parseStratumLine() keeps no password and bounds what it keeps', () => {
  const m = parseStratumLine('{"method":"login","params":{"login":"4Abc","pass":"s3cret","agent":"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0","cn/r"]},"id":1}', true)!;
  assert.deepEqual([m.dialect, m.user, m.password, m.agent.startsWith('XMRig/6.21.0'), m.algos], ['cryptonote', '4Abc', true, true, ['rx/0', 'cn/r']]);
  assert.ok(!JSON.stringify(m).includes('s3cret'));
  assert.equal(parseStratumLine('[1,2]', true), null);
  assert.equal(parseStratumLine('{"x":1}', true), null);
  const r = parseStratumLine('{"id":2,"result":true,"error":null}', false)!;
  assert.deepEqual([r.method, r.ok, r.id], ['', true, 2]);
});

test('the analyzer survives truncation and mutation of real lines', () => {
  const seeds = [
    enc('{"id":1,"method":"mining.subscribe","params":["EWBF 0.3.4b",null,"eu1-zcash.flypool.org","3333"]}\n{"id":2,"method":"mining.authorize","params":["t1.rig4","x"]}\n'),
    enc('{"id":1,"jsonrpc":"2.0","error":null,"result":{"id":"4","job":{"blob":"06","job_id":"7","target":"dc460300"},"status":"OK"}}\n'),
  ];
  fuzzParser(seeds, (b) => {
    parseStratumLine(Buffer.from(b).toString('utf8'), true);
    probe(b, 0, b.length, true);
    feedAnalyzer(new StratumAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  });
});

test('a damaged line in a confirmed session is a weird and the session goes on; four in a row end it (synthetic)', () => {
  const sub = '{"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}\n';
  const share = '{"id":4,"method":"mining.submit","params":["w.1","1f","00","5a","0a"]}\n';
  const one = feedAnalyzer(new StratumAnalyzer(), [{ isOrig: true, bytes: enc(sub + '{"id":2,"meth\n' + share) }]);
  assert.deepEqual(one.weirds, ['stratum.bad_line']);
  assert.equal(one.events.find((e) => e.type === 'stratum.session')!.shares, 1);
  const four = feedAnalyzer(new StratumAnalyzer(), [{ isOrig: true, bytes: enc(sub + 'x\n'.repeat(4) + share) }]);
  assert.equal(four.weirds.length, 4);
  assert.equal(four.events.find((e) => e.type === 'stratum.session')!.shares, 0);
});
