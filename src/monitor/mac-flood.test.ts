// MAC flood (l2.ts) on a generated capture of a real tool (test/fixtures/generated/mac-flood/
// generate.sh: dsniff's macof, random Ethernet sources): which frames come from group addresses
// is tshark's eth.src.ig. The corpus holds no such frame (its sweep raises nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-mac-flood.pcap');
/** tshark's rows: frame, time, Ethernet source, its individual/group bit. */
const rows = readTsharkFields(join(GEN, 'mac-flood', 'tshark.tsv'));
const group = rows.filter((r) => r[3] === '1');

test('eth.group_source: one event per frame from a group address, as tshark counts them, and no weird', async () => {
  const run = await runCaptures([PCAP]);
  try {
    assert.deepEqual(run.result.events.filter((e) => e.ev.type === 'eth.group_source').map((e) => e.ev.packet), group.map((r) => Number(r[0])));
    assert.equal(run.result.weirds['eth.group_source'], undefined);
    // No device is made of them.
    assert.equal(run.conns.length, 0);
  } finally {
    run.cleanup();
  }
});

test('mac-flood: raised at the 50th different group source, citing the first and that frame', async () => {
  const distinct: string[][] = [];
  for (const r of group) if (!distinct.some((d) => d[2] === r[2])) distinct.push(r);
  const fiftieth = distinct[49];
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.severity, a.evidence.slice(0, 2).map((e) => e.packet)]),
    [['mac-flood', `mac:${fiftieth[2]}`, 'high', [Number(group[0][0]), Number(fiftieth[0])]]],
  );
  assert.match(alerts[0].why, /^MAC flood on the untagged link: frames from 50 or more different group \(multicast\) Ethernet addresses within [\d.]+ s/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1040']);
  // A threshold above the capture's group sources: nothing.
  assert.deepEqual(await monitorCaptures([PCAP], { macFloodSources: distinct.length + 1 }), []);
});
