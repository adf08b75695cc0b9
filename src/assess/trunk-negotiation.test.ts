// trunk-negotiation on the generated DTP capture (test/fixtures/generated/dtp/generate.sh: a
// Linux bridge's access port advertising DTP in dynamic auto mode, and Yersinia asking it for a
// trunk), through the whole pipeline (inventory, then assessment). Which frame is which comes
// from tshark's decode. A Cisco switch's port, which no capture here holds, is the same real
// frame with its source MAC rewritten to a Cisco OUI (said there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from './testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dtp-switch-spoofing.pcap');
const rows = readTsharkFields(join(GEN, 'dtp', 'tshark.tsv'));

test("trunk-negotiation: the switch port advertising DTP dynamic auto as an access port; the hosts asking for a trunk get the monitor's alert, not this finding", async () => {
  const own = rows.find((r) => r[12] === 'DTP' && r[7] === '0x04')!;
  assert.deepEqual([own[2], own[6]], ['02:97:0d:00:00:11', '0x00']);
  const run = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const f = run.report.findings.filter((x) => x.rule === 'trunk-negotiation');
  assert.deepEqual(
    f.map((x) => [x.device, x.severity, x.title, x.evidence.map((e) => e.packet)]),
    [['mac:02:97:0d:00:00:11', 'medium', 'Switch port negotiates trunking (DTP dynamic auto)', [Number(own[0])]]],
  );
  assert.match(f[0].detail, /^02:97:0d:00:00:11 advertises DTP in dynamic auto mode as an access port on the untagged link: it becomes a trunk for any device on the port that asks/);
  const port = run.report.devices.find((d) => d.id === 'mac:02:97:0d:00:00:11')!;
  assert.equal(port.category, 'network');
  assert.ok(port.risk.factors.some((x) => x.id === 'trunk-negotiation' && x.points === 3));
  assert.deepEqual(run.report.findings.filter((x) => x.rule === 'switch-spoofing').map((x) => x.device).sort(), ['mac:00:f5:7f:1e:7b:39', 'mac:02:97:0d:00:00:66']);
});

test("a Cisco MAC advertising DTP is a Cisco switch port; one already trunking is no finding (the capture's frame, its MAC rewritten)", async () => {
  const frame = pcapFrames(PCAP)[Number(rows.find((r) => r[12] === 'DTP' && r[7] === '0x04')![0]) - 1];
  const cisco = (status: number): Uint8Array => {
    const b = Uint8Array.from(frame);
    b.set([0x00, 0x1b, 0x54, 0xaa, 0xbb, status], 6);
    // The status TLV's value: after Ethernet (14), LLC/SNAP (8), version (1) and the domain TLV.
    const at = 14 + 8 + 1 + ((b[14 + 8 + 1 + 2] << 8) | b[14 + 8 + 1 + 3]) + 4;
    assert.equal((b[at - 4] << 8) | b[at - 3], 2);
    b[at] = status;
    return b;
  };
  const run = await runPipeline([writePcap([{ ts: 1_700_000_000, frame: cisco(0x04) }, { ts: 1_700_000_001, frame: cisco(0x81) }])], { outDir: null, kb: testKb() }, INVENTORY);
  const access = run.report.devices.find((d) => d.id === 'mac:00:1b:54:aa:bb:04')!;
  const trunk = run.report.devices.find((d) => d.id === 'mac:00:1b:54:aa:bb:81')!;
  assert.deepEqual([access.category, access.vendor, trunk.category], ['network', 'Cisco', 'network']);
  assert.deepEqual(run.report.findings.filter((x) => x.rule === 'trunk-negotiation').map((x) => x.device), ['mac:00:1b:54:aa:bb:04']);
});
