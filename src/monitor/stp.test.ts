// Spanning Tree root takeover (l2.ts) on a capture of real implementations: two Linux kernel
// bridges running 802.1D and Yersinia's "claiming root role" (test/fixtures/generated/stp/
// generate.sh). Which BPDU is which comes from tshark's decode kept beside the capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import type { Alert } from '../report/alert.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';
import type { MonitorConfig } from './config.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-stp-root-claim.pcap');

const monitor = (config: Partial<MonitorConfig> = {}): Promise<Alert[]> => monitorCaptures([PCAP], config);

/** tshark's configuration BPDUs: frame, eth src, root "prio/ext/mac". */
const bpdus = readTsharkFields(join(GEN, 'stp', 'tshark.tsv'))
  .filter((r) => r[3] === '0x00')
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
    alertTechniques(a),
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

/** A flood capture's BPDUs as tshark reads them: frame, time, Ethernet source, type, flags, root and bridge MACs. */
function flood(name: string): string[][] {
  return readTsharkFields(join(GEN, 'stp-flood', `${name}.tsv`));
}

const monitorOf = (pcap: string, config: Partial<MonitorConfig> = {}): Promise<Alert[]> => monitorCaptures([pcap], config);

test("Yersinia's Spanning Tree floods are one dos-flood each: TCNs from made-up bridges, configuration BPDUs from made-up roots (at most five root claims before it)", async () => {
  const tcn = flood('tcn');
  assert.ok(tcn.every((r) => r[3] === '0x80'));
  const a = await monitorOf(join(GEN, 'generated-stp-tcn-flood.pcap'));
  assert.deepEqual(
    a.map((x) => x.rule),
    ['dos-flood'],
  );
  // The twentieth different sender (stpFloodBridges) makes it a flood.
  assert.deepEqual(a[0].evidence.slice(0, 2).map((e) => e.packet), [1, Number(tcn[19][0])]);
  assert.match(a[0].why, /^Spanning Tree BPDU flood on the untagged link: 20 or more different bridges sent BPDUs within [\d.]+ s/);
  assert.deepEqual(
    alertTechniques(a[0]),
    ['T1499.001'],
  );
  const conf = flood('bpdu');
  assert.ok(conf.every((r) => r[3] === '0x00' && r[5] === r[6]), 'each made-up bridge names itself root');
  const b = await monitorOf(join(GEN, 'generated-stp-bpdu-flood.pcap'));
  assert.equal(b.filter((x) => x.rule === 'dos-flood').length, 1);
  const claims = b.filter((x) => x.rule === 'stp-root-claim');
  assert.ok(claims.length <= 5, `${claims.length} root claims`);
  // With the bridges threshold out of reach, the TCN count alone (stpFloodTcns) still makes a flood.
  const c = await monitorOf(join(GEN, 'generated-stp-tcn-flood.pcap'), { stpFloodBridges: 1000 });
  assert.deepEqual(c.map((x) => x.rule), ['dos-flood']);
  // The alert keeps the latest count (all 200 of the capture are notifications).
  assert.match(c[0].why, /^Spanning Tree BPDU flood on the untagged link: 200 topology change notifications within/);
  assert.equal(c[0].evidence[1].packet, 100);
});
