// Bitcoin P2P on nDPI's capture (test/fixtures/ndpi/ndpi-bitcoin.pcap): a Bitcoin 0.3.20 node
// (protocol 32001, March 2011) and six peers. Expectations: ndpiReader 4.2's labels
// (ndpi-bitcoin.pcap.out: Mining, by port), and tshark 4.0's TCP payloads and commands
// (ndpi-bitcoin.tshark.tsv). tshark does not know that nodes of that time sent version and
// verack without a checksum (20-byte headers): it misreads those messages' fields and the
// commands after them in the same segment. So the version fields expected here are read from
// the payload bytes by the developer reference's layout, and of tshark's commands only the
// transaction counts (never behind a verack in a segment) are taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { BitcoinAnalyzer } from './analyzer.js';
import { parseVersion } from './parse.js';
import { probe } from './probe.js';
import { assessCaptures } from '../../assess/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-bitcoin.pcap');

interface Row {
  frame: number;
  stream: number;
  src: string;
  port: number;
  commands: string[];
  payload: Buffer;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'ndpi-bitcoin.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), stream: Number(f[1]), src: f[2], port: Number(f[3]), commands: f[5] === '' ? [] : f[5].split(','), payload: Buffer.from(f[6], 'hex') };
    });
}

/** A version message at the start of a payload, read by hand: 20-byte header (no checksum), then the fields. */
function versionByHand(p: Buffer): { version: number; height: number; ua: string } {
  assert.equal(p.toString('latin1', 4, 11), 'version');
  const len = p.readUInt32LE(16);
  const body = p.subarray(20, 20 + len);
  // version, services, timestamp, addr_recv (26), addr_from (26), nonce (8), var_str, start_height
  const uaLen = body[80];
  return { version: body.readInt32LE(0), ua: body.toString('latin1', 81, 81 + uaLen), height: body.readInt32LE(81 + uaLen) };
}

test("bitcoin.log: both nodes' versions and heights as their version messages say, transactions as tshark counts them; conn.log bitcoin on every flow nDPI saw", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-bitcoin.pcap.out'));
  assert.equal(ndpi.length, 6);
  assert.ok(ndpi.every((f) => f.app === 'Mining'));
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      const c = run.conns.find((x) => (x.oPort === f.aPort && x.rPort === f.bPort) || (x.oPort === f.bPort && x.rPort === f.aPort))!;
      assert.equal(c.service, 'bitcoin', f.line);
    }
    const log = run.log('bitcoin');
    assert.equal(log.length, 6);
    const all = rows();
    for (const stream of new Set(all.map((r) => r.stream))) {
      const mine = all.filter((r) => r.stream === stream);
      const client = mine[0];
      const l = log.find((x) => x['id.orig_p'] === client.port)!;
      assert.ok(l, `stream ${stream}`);
      const versions = mine.filter((r) => r.payload.toString('latin1', 4, 11) === 'version');
      const o = versionByHand(versions.find((r) => r.src === client.src)!.payload);
      const r = versionByHand(versions.find((x) => x.src !== client.src)!.payload);
      assert.deepEqual(
        [l.network, l.orig_version, l.orig_start_height, l.orig_user_agent, l.resp_version, l.resp_start_height, l.resp_user_agent],
        ['main', o.version, o.height, o.ua, r.version, r.height, r.ua],
        `stream ${stream}`,
      );
      const tx = mine.flatMap((x) => x.commands).filter((c) => c === 'tx').length;
      assert.equal(l.transactions, tx, `transactions of stream ${stream}`);
    }
    // tshark counts 6 blocks; wardline 7: frame 321 starts an 8,103-byte block message over
    // several segments that tshark leaves undissected ("TCP segment data").
    assert.equal(log.reduce((n, x) => n + (x.blocks as number), 0), 7);
    assert.equal(all.find((x) => x.frame === 321)!.payload.toString('latin1', 4, 9), 'block');
    // The 0.3.20 node and its peers sent empty user agents (BIP 14 came later), protocol 32001.
    assert.ok(log.every((x) => x.orig_version === 32001 && x.orig_user_agent === '' && (x.orig_services as string[]).join() === 'NETWORK'));
  } finally {
    run.cleanup();
  }
});

test('the node gets a crypto-currency node finding (medium), its first version message as evidence', async () => {
  const a = await assessCaptures([PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cryptomining' && x.device === 'ip:192.168.1.142');
    assert.equal(f.length, 1);
    assert.equal(f[0].title, 'Crypto-currency node (Bitcoin peer-to-peer)');
    assert.equal(f[0].severity, 'medium');
    assert.match(f[0].detail, /runs a crypto-currency node \(Bitcoin main network, 6 connections to peers\)/);
    // The first version message it sent (frame 1 of the capture).
    assert.deepEqual(f[0].evidence.map((e) => [e.fact, e.source, e.packet]), [['cryptocurrency-node', 'bitcoin.version', 1]]);
  } finally {
    a.run.cleanup();
  }
});

/** A current node's version message (protocol 70016, checksummed header): synthetic, no capture of one is public here. */
function modernVersion(): Uint8Array {
  const ua = Buffer.from('/Satoshi:27.0.0/');
  const body = Buffer.alloc(4 + 8 + 8 + 26 + 26 + 8 + 1 + ua.length + 4 + 1);
  let p = 0;
  body.writeInt32LE(70016, p);
  p += 4;
  body.writeUInt32LE(0x409 | 0x800, p); // NETWORK, WITNESS, NETWORK_LIMITED, P2P_V2
  p += 8 + 8;
  body.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 203, 0, 113, 9], p);
  body.writeUInt16BE(8333, p + 24);
  p += 26 + 26 + 8;
  body[p++] = ua.length;
  ua.copy(body, p);
  p += ua.length;
  body.writeInt32LE(850_000, p);
  p += 4;
  body[p] = 1;
  const sum = createHash('sha256').update(createHash('sha256').update(body).digest()).digest().subarray(0, 4);
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xd9b4bef9, 0);
  hdr.write('version', 4, 'latin1');
  hdr.writeUInt32LE(body.length, 16);
  sum.copy(hdr, 20);
  return Buffer.concat([hdr, body]);
}

test('a current node (synthetic: checksummed header, BIP 14 user agent, relay flag) and a verack split anywhere', () => {
  const v = modernVersion();
  const verack = Buffer.from('f9beb4d976657261636b000000000000000000005df6e0e2', 'hex');
  const stream = Buffer.concat([v, verack]);
  for (const cut of [1, 10, 23, 24, 50, v.length - 1, v.length, v.length + 20]) {
    const out = feedAnalyzer(new BitcoinAnalyzer(), [
      { isOrig: true, bytes: stream.subarray(0, cut) },
      { isOrig: true, bytes: stream.subarray(cut) },
    ]);
    const ver = out.events.find((e) => e.type === 'bitcoin.version')!;
    assert.deepEqual([ver.version, ver.user_agent, ver.start_height, ver.services], [70016, '/Satoshi:27.0.0/', 850_000, ['NETWORK', 'WITNESS', 'NETWORK_LIMITED', 'P2P_V2']], `cut ${cut}`);
    const s = out.events.find((e) => e.type === 'bitcoin.session')!;
    assert.deepEqual([s.commands, s.messages], [['version', 'verack'], 2], `cut ${cut}`);
    assert.deepEqual(out.weirds, []);
  }
  const sw = feedAnalyzer(new BitcoinAnalyzer(), [{ isOrig: true, bytes: v }]).events.find((e) => e.type === 'software')!;
  assert.equal(sw.unparsed_version, 'Satoshi:27.0.0');
  assert.equal(parseVersion(v, 24, v.length - 24)!.relay, true);
});

test('probe: the network magic and a command name, nothing else', () => {
  const v = modernVersion();
  assert.equal(probe(v, 0, v.length), PROBE_CERTAIN);
  assert.equal(probe(v, 0, 2), PROBE_MAYBE);
  assert.equal(probe(Buffer.from('GET / HTTP/1.1'), 0, 14), PROBE_NO);
  const bad = Buffer.from(v);
  bad[6] = 0x01;
  assert.equal(probe(bad, 0, bad.length), PROBE_NO);
  // A stream that is not Bitcoin after all is released.
  const out = feedAnalyzer(new BitcoinAnalyzer(), [{ isOrig: true, bytes: Buffer.from('f9beb4d9zzzzzzzzzzzzzzzzzzzzzzzzzzzz', 'latin1') }]);
  assert.deepEqual([out.services, out.events.length], [[], 0]);
});

test('the analyzer survives truncation and mutation of real messages', () => {
  const r = rows();
  const seeds = [r[0].payload, r[2].payload, modernVersion()];
  fuzzParser(seeds, (b) => {
    parseVersion(b, 0, b.length);
    probe(b, 0, b.length);
    feedAnalyzer(new BitcoinAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  });
});
