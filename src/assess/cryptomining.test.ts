// The cryptomining finding on nDPI's mining captures (test/fixtures/ndpi/ndpi-stratum.pcap;
// the analyzer's own tests: src/analyzers/stratum/stratum.test.ts): each miner gets one finding
// naming its pools and software, with the packet of each login as evidence — the frames tshark
// shows carrying "mining.authorize", "login" and "eth_submitLogin" (ndpi-stratum.tshark.tsv:
// frames 5, 213, 250 and 269). The pools get nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { assessCaptures } from './testutil.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-stratum.pcap');

test('cryptomining: one finding per miner, its pools, software and login packets as evidence; none on the pools', async () => {
  const a = await assessCaptures([PCAP]);
  try {
    const found = a.result.findings.filter((f) => f.rule === 'cryptomining');
    const ipOf = (id: string): string => a.result.devices.find((d) => d.id === id)!.ips.join(',');
    const got = found.map((f) => [ipOf(f.device), f.title, f.evidence.map((e) => [e.fact, e.source, e.packet])]).sort();
    assert.deepEqual(got, [
      ['147.229.13.222', 'Crypto-currency mining', [['cryptomining', 'stratum.eth_submitLogin', 5]]],
      [
        '192.168.2.148',
        'Crypto-currency mining (EWBF 0.3.4b)',
        [
          ['cryptomining', 'stratum.mining.authorize', 250],
          ['cryptomining', 'stratum.mining.authorize', 269],
        ],
      ],
      ['192.168.2.92', 'Crypto-currency mining (xmr-stak-cpu/1.3.0-1.5.0)', [['cryptomining', 'stratum.login', 213]]],
    ]);
    const ewbf = found.find((f) => f.title.includes('EWBF'))!;
    assert.match(ewbf.detail, /2 mining pools cn1-zcash\.flypool\.org \(116\.211\.167\.195:3333\), eu1-zcash\.flypool\.org \(94\.23\.199\.191:3333\) over Stratum/);
    assert.equal(ewbf.severity, 'high');
    // The risk score counts it.
    const d = a.result.devices.find((x) => x.id === ewbf.device)!;
    assert.ok(d.risk.factors.some((f) => f.id === 'cryptomining' && f.points === 25));
  } finally {
    a.run.cleanup();
  }
});
