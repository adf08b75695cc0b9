// CDP and LLDP floods. Expectations from tshark 4.0's reading of Yersinia's "flooding CDP table"
// (test/fixtures/generated/cdp-flood: generate.sh and tshark.tsv); the corpus's real CDP and LLDP
// captures raise nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');

test("Yersinia's CDP flood is one dos-flood on the link, raised at the 100th different device", async () => {
  // tshark: 300 announcements within a millisecond, each from another MAC and device id.
  const rows = readTsharkFields(join(GEN, 'cdp-flood', 'tshark.tsv'));
  assert.equal(rows.length, 300);
  assert.equal(new Set(rows.map((r) => r[2])).size, 300);
  assert.ok(rows.every((r) => r[4] === 'yersinia'));
  const alerts = await monitorCaptures([join(GEN, 'generated-cdp-flood.pcap')]);
  assert.deepEqual(alerts.map((a) => a.rule), ['dos-flood']);
  const a = alerts[0];
  // neighborFloodSenders (100): the 100th different sender is frame 100 here.
  assert.deepEqual(a.evidence.slice(0, 2).map((e) => e.packet), [1, 100]);
  assert.equal(a.device, `mac:${rows[99][2]}`);
  assert.equal(a.evidence[1].value, `CDP announcement from ${rows[99][2]} as ${rows[99][3]}`);
  assert.match(a.why, /^CDP flood on the untagged link: 100 or more different devices announced themselves within 0\.00\d s \(a device announces itself every 60 s; these are made up\)/);
  // Every announcement from the 100th on counts.
  assert.equal(a.count, 201);
  assert.deepEqual(alertTechniques(a), ['T1499.001']);
  // Under the threshold, nothing.
  assert.deepEqual(await monitorCaptures([join(GEN, 'generated-cdp-flood.pcap')], { neighborFloodSenders: 301 }), []);
});

test('real CDP and LLDP announcements are no flood (Zeek cdp-v1, lldp; Arkime wireshark-lldp)', { skip: !haveCorpus() }, async () => {
  for (const f of [corpus('zeek', 'traces', 'cdp-v1.pcap'), corpus('zeek', 'traces', 'lldp.pcap'), corpus('arkime', 'tests', 'pcap', 'wireshark-lldp.pcap')]) {
    const alerts = await monitorCaptures([f]);
    assert.deepEqual(alerts.filter((a) => a.rule === 'dos-flood'), [], f);
  }
});
