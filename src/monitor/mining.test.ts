// The mining detector on nDPI's mining captures (test/fixtures/ndpi/ndpi-stratum.pcap): one
// alert per miner and pool, at the login (frames 5, 213, 250, 269 carry the logins in tshark's
// payloads, ndpi-stratum.tshark.tsv); the pools raise nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-stratum.pcap');

test('cryptomining alerts: one per miner and pool, dated by the login', async () => {
  const m = new Monitor({ fileName: () => PCAP });
  const run = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const got = m.finish().filter((a) => a.rule === 'cryptomining');
  assert.deepEqual(got.map((a) => [a.device, a.peer, a.severity, a.evidence[0].packet]).sort(), [
    ['ip:147.229.13.222', '185.71.66.39', 'high', 5],
    ['ip:192.168.2.148', '116.211.167.195', 'high', 269],
    ['ip:192.168.2.148', '94.23.199.191', 'high', 250],
    ['ip:192.168.2.92', '178.32.196.217', 'high', 213],
  ]);
  const x = got.find((a) => a.peer === '178.32.196.217')!;
  assert.match(x.why, /^192\.168\.2\.92 mines crypto-currency: login to 178\.32\.196\.217:9050 by xmr-stak-cpu\/1\.3\.0-1\.5\.0\./);
});

test('a Bitcoin node connecting out raises one medium alert per host and network, dated by its first version message', async () => {
  const pcap = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-bitcoin.pcap');
  const m = new Monitor({ fileName: () => pcap });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const got = m.finish().filter((a) => a.rule === 'cryptomining');
  assert.deepEqual(got.map((a) => [a.device, a.severity, a.count, a.evidence[0].packet]), [['ip:192.168.1.142', 'medium', 6, 1]]);
  assert.match(got[0].why, /^192\.168\.1\.142 runs a Bitcoin node: version message \(protocol 32001\) to [\d.]+:8333 on the Bitcoin main network/);
});
