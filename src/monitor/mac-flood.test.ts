// MAC flood (l2.ts) on a generated capture of a real tool (test/fixtures/generated/mac-flood/
// generate.sh: dsniff's macof, random Ethernet sources): which frames come from group addresses
// is tshark's eth.src.ig. The corpus holds no such frame (its sweep raises nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { pcapFrames, writePcap } from '../testutil/pcapwriter.js';
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

// The unicast flood (mac-flood/unicast.sh: mausezahn -a rand, 1,500 frames from random locally
// administered unicast sources, after 30 pings between two stations whose addresses are locally
// administered too, as veth and VM interfaces are): tshark's eth.src.lg says which sources are.
const UNICAST = join(GEN, 'generated-mac-flood-unicast.pcap');
const urows = readTsharkFields(join(GEN, 'mac-flood', 'unicast.tshark.tsv'));

/** The first frame of each locally administered unicast source, in capture order. */
function firstFrames(rs: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const r of rs) {
    if (r[3] !== '0' || r[4] !== '1' || seen.has(r[2])) continue;
    seen.add(r[2]);
    out.push(r);
  }
  return out;
}

test('eth.local_source: one event per locally administered unicast source, at its first frame, with the link frame count', async () => {
  const firsts = firstFrames(urows);
  const run = await runCaptures([UNICAST]);
  try {
    const evs = run.result.events.filter((e) => e.ev.type === 'eth.local_source').map((e) => e.ev);
    assert.deepEqual(evs.map((e) => [e.packet, e.mac_src]), firsts.map((r) => [Number(r[0]), r[2]]));
    // Every frame here is from such a source, so the count at a first frame is its frame number.
    assert.deepEqual(evs.map((e) => e.frames), firsts.map((r) => Number(r[0])));
    assert.equal(run.result.events.filter((e) => e.ev.type === 'eth.group_source').length, 0);
  } finally {
    run.cleanup();
  }
});

test('mac-flood: a unicast flood raised at the 1000th new locally administered source, citing the first and that frame', async () => {
  const firsts = firstFrames(urows);
  const thousandth = firsts[999];
  const alerts = await monitorCaptures([UNICAST]);
  const flood = alerts.filter((a) => a.rule === 'mac-flood');
  assert.deepEqual(
    flood.map((a) => [a.device, a.severity, a.evidence.slice(0, 2).map((e) => e.packet)]),
    [[`mac:${thousandth[2]}`, 'high', [Number(firsts[0][0]), Number(thousandth[0])]]],
  );
  // The why is the episode's last word: every new source and frame of the flood window.
  assert.ok(flood[0].why.startsWith(`MAC flood on the untagged link: ${firsts.length} new locally administered Ethernet sources within `), flood[0].why);
  assert.ok(flood[0].why.includes(`, ${firsts.length} of the ${urows.length} frames those sources sent being a new source's first`), flood[0].why);
  assert.deepEqual(alertTechniques(flood[0]), ['T1040']);
  // A threshold above the capture's sources: nothing.
  assert.deepEqual((await monitorCaptures([UNICAST], { macFloodLocalSources: firsts.length + 1 })).filter((a) => a.rule === 'mac-flood'), []);
  // Asking that every frame be a new source's first: the stations' pings before the flood keep it below.
  assert.deepEqual((await monitorCaptures([UNICAST], { macFloodLocalShare: 1 })).filter((a) => a.rule === 'mac-flood'), []);
});

// Synthetic, as no capture here holds a busy segment of virtual machines (or phones with private
// Wi-Fi addresses): 1,200 locally administered sources appearing within 8 s, each sending five
// frames (the capture's first ping, its source MAC rewritten). As many new sources as the flood's, but
// only one frame in five is a new source's first: no flood.
test('mac-flood: many new locally administered sources that each send several frames are not a flood (synthetic)', async () => {
  const ping = pcapFrames(UNICAST).find((f) => f[12] === 8 && f[13] === 0 && f[23] === 1)!;
  const frames: { ts: number; frame: Uint8Array }[] = [];
  for (let i = 0; i < 1200; i++) {
    for (let k = 0; k < 5; k++) {
      const f = Uint8Array.from(ping);
      f.set([0x02, 0x42, 0xac, 0x11, i >> 8, i & 0xff], 6);
      frames.push({ ts: 1_700_000_000 + i * 0.006 + k * 0.001, frame: f });
    }
  }
  const path = writePcap(frames);
  assert.deepEqual((await monitorCaptures([path])).filter((a) => a.rule === 'mac-flood'), []);
  // The same sources, each sending one frame: a flood.
  const once = writePcap(frames.filter((_, j) => j % 5 === 0));
  assert.deepEqual((await monitorCaptures([once])).filter((a) => a.rule === 'mac-flood').map((a) => a.device), ['mac:02:42:ac:11:03:e7']);
});
