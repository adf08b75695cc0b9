// Gateway takeover (l2.ts) on a generated HSRP capture (test/fixtures/generated/hsrp/generate.sh:
// a group's active router at priority 110 and standby at 100, then an attacker announcing itself
// active at 255, all spoken by Yersinia). Which frame is which comes from tshark's decode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import type { Alert } from '../report/alert.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';
import type { MonitorConfig } from './config.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-hsrp-takeover.pcap');

const monitor = (config: Partial<MonitorConfig> = {}): Promise<Alert[]> => monitorCaptures([PCAP], config);

/** tshark's rows: frame, eth src, ip src, ip dst, version, opcode, state, hello, hold, priority, group, auth, virtual IP. */
const rows = readTsharkFields(join(GEN, 'hsrp', 'tshark.tsv'));

test('gateway-takeover: a router claiming the active role above the active router; the group\'s own hellos silent', async () => {
  const active = rows.find((r) => r[6] === '16')!;
  const coup = rows.find((r) => r[5] === '1')!;
  assert.deepEqual([active[2], active[9]], ['10.97.14.2', '110']);
  assert.deepEqual([coup[2], coup[6], coup[9]], ['10.97.14.66', '16', '255']);
  const alerts = await monitor();
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer]),
    [['gateway-takeover', `mac:${coup[1]}`, '10.97.14.2']],
  );
  const [a] = alerts;
  assert.equal(a.severity, 'high');
  assert.deepEqual(a.evidence.slice(0, 2).map((e) => e.packet), [Number(active[0]), Number(coup[0])]);
  assert.match(a.why, /^10\.97\.14\.66 \([0-9a-f:]+\) claimed the HSRP active role for group 1 on the untagged link, gateway address 10\.97\.14\.1, with priority 255, above the active router 10\.97\.14\.2 \(02:97:0e:00:00:02, priority 110\)/);
  assert.deepEqual(
    alertTechniques(a),
    ['T1557'],
  );
});

test('gateway-takeover with ipv4Routers: the listed routers are silent, the attacker raised', async () => {
  const alerts = await monitor({ ipv4Routers: ['10.97.14.2', '10.97.14.3'] });
  assert.deepEqual(
    alerts.map((a) => a.device),
    [`mac:${rows.find((r) => r[5] === '1')![1]}`],
  );
  assert.match(alerts[0].why, /is not one of the configured ipv4Routers/);
});

test('gateway-takeover for VRRP: keepalived preempting the master with priority 254; the master taking its role back silent', async () => {
  // vrrp/generate.sh, tshark: 10.97.15.2 is master at 150, 10.97.15.66 advertises at 254, then 0 (stepping down).
  const vrrp = readTsharkFields(join(GEN, 'vrrp', 'tshark.tsv'));
  const master = vrrp[0];
  const att = vrrp.find((r) => r[7] === '254')!;
  assert.deepEqual([master[2], master[7], att[2]], ['10.97.15.2', '150', '10.97.15.66']);
  const alerts = await monitorCaptures([join(GEN, 'generated-vrrp-takeover.pcap')]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer]),
    [['gateway-takeover', `mac:${att[1]}`, '10.97.15.2']],
  );
  assert.deepEqual(alerts[0].evidence.slice(0, 2).map((e) => e.packet), [Number(master[0]), Number(att[0])]);
  assert.match(alerts[0].why, /^10\.97\.15\.66 \(02:97:0f:00:00:66\) claimed the VRRP master role of virtual router 15 on the untagged link, gateway address 10\.97\.15\.1, with priority 254, above the master 10\.97\.15\.2/);
});
