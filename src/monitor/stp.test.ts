// Spanning Tree root takeover (l2.ts) on a capture of real implementations: two Linux kernel
// bridges running 802.1D and Yersinia's "claiming root role" (test/fixtures/generated/stp/
// generate.sh). Which BPDU is which comes from tshark's decode kept beside the capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../engine/analyze.js';
import { attackTechniques } from '../report/attack.js';
import { REPO_ROOT } from '../testutil/corpus.js';
import type { Alert } from '../report/alert.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-stp-root-claim.pcap');

async function monitor(config: Partial<MonitorConfig> = {}): Promise<Alert[]> {
  let a: Analysis | null = null;
  const mon = new Monitor({ config, deviceCategory: () => null, fileName: (i) => a!.paths[i] });
  a = new Analysis({ outDir: null, onEvent: mon.onEvent, onConn: mon.onConn });
  await a.run([PCAP]);
  return mon.finish();
}

/** tshark's configuration BPDUs: frame, eth src, root "prio/ext/mac". */
const bpdus = readFileSync(join(GEN, 'stp', 'tshark.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && l.split('\t')[3] === '0x00')
  .map((l) => l.split('\t'))
  .map((r) => ({ frame: Number(r[0]), src: r[1], root: `${r[5]}/${r[6]}/${r[7]}` }));

test("stp-root-claim: Yersinia's BPDU naming a better root than the core bridge; the bridges' own BPDUs, the edge bridge's interim claim included, are silent", async () => {
  const first = bpdus[0];
  assert.equal(first.root, '4096/0/02:97:0c:00:00:10');
  // tshark: the attacker's BPDUs name 4096/0/02:97:0c:00:00:0f from 02:97:0c:00:00:1f; while the
  // edge bridge waits for the core's BPDUs again it names itself (32768, worse) for a moment.
  const claim = bpdus.find((b) => b.root !== first.root)!;
  assert.deepEqual([claim.src, claim.root], ['02:97:0c:00:00:1f', '4096/0/02:97:0c:00:00:0f']);
  assert.ok(bpdus.some((b) => b.root === '32768/0/02:97:0c:00:00:20'));
  const alerts = await monitor();
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device]),
    [['stp-root-claim', `mac:${claim.src}`]],
  );
  const [a] = alerts;
  assert.equal(a.severity, 'high');
  assert.deepEqual(a.evidence.slice(0, 2).map((e) => e.packet), [first.frame, claim.frame]);
  assert.match(a.why, /naming 4096\/0\/02:97:0c:00:00:0f as the Spanning Tree root, better than the root 4096\/0\/02:97:0c:00:00:10/);
  assert.deepEqual(
    attackTechniques({ rule: a.rule, title: '', detail: a.why } as Parameters<typeof attackTechniques>[0]).map((x) => x.uid),
    ['T1557'],
  );
});

test('stp-root-claim with stpRootBridges: any other root is raised, the listed one never', async () => {
  assert.deepEqual((await monitor({ stpRootBridges: ['02:97:0c:00:00:10'] })).map((a) => [a.rule, a.device]).sort(), [
    ['stp-root-claim', 'mac:02:97:0c:00:00:1f'],
    ['stp-root-claim', 'mac:02:97:0c:00:00:22'],
  ]);
  assert.equal((await monitor({ stpRootBridges: ['02:97:0c:00:00:10', '02:97:0c:00:00:0f', '02:97:0c:00:00:20'] })).length, 0);
});
