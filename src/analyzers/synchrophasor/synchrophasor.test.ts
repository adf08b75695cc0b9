// C37.118 synchrophasor frames on Arkime's synchrophasor_synthetic.pcap (TCP 4712, UDP 4713 and a
// UDP flow on 5000/5001 found by its checksums; CFG-1, CFG-2, CFG-3, header, data and command
// frames), expectations from Arkime's own session records beside it (synchrophasor.frameType,
// cmd, idcode, numPMU, station, dataRate) and tshark 4.0's synphasor dissector (every CHK correct).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { arkimeSessions } from '../../testutil/peers.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_NO, PROBE_YES } from '../types.js';
import { SynchrophasorAnalyzer } from './analyzer.js';
import { crcCcitt, parseConfig, parseHeader } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PCAP = skip ? '' : corpus('arkime', 'tests', 'pcap', 'synchrophasor_synthetic.pcap');
const TEST = skip ? '' : corpus('arkime', 'tests', 'pcap', 'synchrophasor_synthetic.test');

const sorted = <T>(xs: readonly T[]): T[] => [...xs].sort();

test("synchrophasor.log agrees with Arkime's sessions on every flow", { skip }, async () => {
  const run = await runCaptures([PCAP]);
  try {
    const mine = run.log('synchrophasor');
    const arkime = arkimeSessions(TEST).filter((s) => (s.protocol as string[]).includes('synchrophasor'));
    assert.equal(mine.length, arkime.length);
    for (const a of arkime) {
      const src = (a.source as { ip: string; port: number });
      const dst = (a.destination as { ip: string; port: number });
      const m = mine.find((l) => l['id.orig_h'] === src.ip && l['id.orig_p'] === src.port && l['id.resp_h'] === dst.ip && l['id.resp_p'] === dst.port);
      assert.ok(m !== undefined, `${src.ip}:${src.port} → ${dst.ip}:${dst.port}`);
      const sp = a.synchrophasor as Record<string, unknown[]>;
      assert.deepEqual(sorted(m.frame_types as string[]), sorted(sp.frameType), 'frameType');
      assert.deepEqual(sorted(((m.commands as number[] | undefined) ?? []).map(String)), sorted((sp.cmd ?? []).map(String)), 'cmd');
      assert.deepEqual(m.idcodes, sp.idcode, 'idcode');
      assert.equal(m.num_pmu, sp.numPMU[0], 'numPMU');
      assert.deepEqual(sorted(m.stations as string[]), sorted(sp.station as string[]), 'station');
      assert.equal(m.data_rate, sp.dataRate[0], 'dataRate');
      assert.equal(m.bad_checksums, 0);
    }
    // conn.log: every flow named, the one on 5000/5001 by its checksums.
    assert.deepEqual(run.log('conn').map((c) => c.service), Array(5).fill('synchrophasor'));
    // The header frames' text, as tshark shows it.
    assert.deepEqual(mine.map((l) => l.header).filter((h) => h !== undefined), ['Epsilon PMU Model XYZ', 'Test PMU Station Alpha/Beta v1.0']);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test("real PMUs (nDPI's captures, test/fixtures/ndpi/ndpi-c37118.pcap) as tshark decodes them", async () => {
  // ndpi-c37118.tshark.tsv: a PDC at 192.168.0.20 asks PMU 241 over TCP for CFG-2 (command 5),
  // then data on (2), off (1): CFG-2 with one PMU "Blue PMU" (4 phasors, 50 Hz, 50 frames/s,
  // time base 16777215) and 252 data frames; over UDP 4712→4713, 192.168.0.10 sends off, CFG-2,
  // on, off to stream 60, whose CFG-2 holds PMU 61 "PMU1" (3 phasors, 1 digital word, 50 Hz,
  // 50/s), and 356 data frames. ndpiReader 4.2 leaves both Unknown.
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-c37118.pcap')]);
  try {
    const rows = run.log('synchrophasor').map((l) => [l['id.resp_p'], l.idcodes, l.commands, l.stations, l.pmu_idcodes, l.phasors, l.digitals, l.nominal_freq, l.data_rate, l.time_base, l.data_frames, l.source]);
    assert.deepEqual(rows, [
      [4712, [241], [5, 2, 1], ['Blue PMU'], [241], 4, 0, 50, 50, 16777215, 252, 'resp'],
      [4713, [60], [1, 5, 2], ['PMU1'], [61], 3, 1, 50, 50, 1000000, 356, 'resp'],
    ]);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

test('the PMUs (the senders of configuration and data) are industrial devices', { skip }, async () => {
  const { devices } = await runInventory([PCAP]);
  for (const ip of ['10.0.0.2', '10.0.1.2', '10.0.2.2', '10.0.3.2', '10.0.0.4']) assert.equal(deviceWithIp(devices, ip)?.category, 'industrial', ip);
  assert.notEqual(deviceWithIp(devices, '10.0.0.1')?.category, 'industrial');
});

test('probe(): a frame whose checksum holds is certain anywhere; a header alone only on 4712/4713', () => {
  // A command frame "send CFG-2" for IDCODE 100, built per C37.118.2 §6.4 (synthetic).
  const f = new Uint8Array([0xaa, 0x41, 0x00, 0x12, 0x00, 0x64, 0x65, 0x53, 0xf0, 0x94, 0, 0, 0, 0, 0x00, 0x05, 0, 0]);
  const crc = crcCcitt(f, 0, 16);
  f[16] = crc >> 8;
  f[17] = crc & 0xff;
  assert.equal(probe(f, 0, f.length, true, 17, 9999), PROBE_CERTAIN);
  assert.equal(probe(f, 0, 10, true, 6, 4712), PROBE_YES);
  assert.equal(probe(f, 0, 10, true, 6, 9999), PROBE_NO);
  f[17] ^= 1;
  assert.equal(probe(f, 0, f.length, true, 17, 4713), PROBE_NO);
  assert.deepEqual(parseHeader(f, 0, f.length), { type: 'command', version: 1, size: 18, idcode: 100, soc: 0x6553f094 });
});

test('mutated and truncated frames are refused, never thrown on', { skip }, async () => {
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((fl) => fl.chunks.map((c) => c.bytes));
  fuzzParser(seeds, (b) => {
    const h = parseHeader(b, 0, b.length);
    if (h !== null && h.size <= b.length) parseConfig(b, 0, h.size, h.type === 'cfg3');
    feedAnalyzer(new SynchrophasorAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  });
});
