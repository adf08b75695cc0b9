// DTP advertisements against tshark 4.0's decode of a generated capture of real implementations
// (test/fixtures/generated/dtp/generate.sh: a Linux bridge's access port advertising DTP in
// dynamic auto mode, and Yersinia asking it for a trunk); a trunk port's status and an ISL
// encapsulation, which neither sends, built by hand (said there); fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames, writePcap } from '../../testutil/pcapwriter.js';
import { parseDtp } from './parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dtp-switch-spoofing.pcap');
/** tshark's rows: frame, time, eth src, VLAN ids, DTP version, domain, operating and administrative status, operating and administrative type, sender id, STP bridge, protocol column. */
const rows = readTsharkFields(join(GEN, 'dtp', 'tshark.tsv'));
const dtpRows = rows.filter((r) => r[12] === 'DTP');

const MODES: Record<string, string> = { '0x01': 'on', '0x02': 'off', '0x03': 'desirable', '0x04': 'auto' };
const ENCAPS: Record<string, string> = { '0x00': 'negotiated', '0x01': 'native', '0x02': 'isl', '0x05': '802.1q' };

test("dtp.log: one line per DTP frame with tshark's version, trunk status and mode, encapsulations and sender id (generated: a bridge's port in dynamic auto, Yersinia asking for a trunk)", async () => {
  assert.equal(dtpRows.length, 7);
  const run = await runCaptures([PCAP]);
  try {
    for (const { l, r, at } of linesByFrame(run.log('dtp'), dtpRows)) {
      assert.deepEqual(
        [l.mac_src, l.version, l.domain ?? '', l.trunk_status, l.trunk_mode, l.trunk_encapsulation, l.trunk_admin_encapsulation, l.sender_id],
        [r[2], Number(r[4]), r[5], r[6] === '0x01' ? 'trunk' : 'access', MODES[r[7]], ENCAPS[r[8]], ENCAPS[r[9]], r[10]],
        at,
      );
    }
    assert.deepEqual(Object.keys(run.result.weirds).filter((w) => w.startsWith('dtp.')), []);
  } finally {
    run.cleanup();
  }
});

// Synthetic: neither the bridge nor Yersinia sends a trunk port's status or ISL; built after
// Wireshark's packet-dtp.c reading of the status and type octets.
test('a trunking port in mode on with ISL, a named VTP domain, inside an 802.1Q tag (synthetic)', async () => {
  const dtp = Buffer.from('01' + '0001000d' + Buffer.from('WARD-VTP\0').toString('hex') + '00020005' + '81' + '00030005' + '42' + '0004000a' + '02970d0000aa', 'hex');
  const snap = Buffer.concat([Buffer.from('aaaa0300000c2004', 'hex'), dtp]);
  const frame = Buffer.concat([Buffer.from('01000ccccccc' + '02970d0000aa' + '8100' + '0014', 'hex'), Buffer.from([snap.length >> 8, snap.length & 0xff]), snap]);
  const run = await runCaptures([writePcap([{ ts: 1, frame: new Uint8Array(frame) }])]);
  try {
    const [l] = run.log('dtp');
    assert.deepEqual(
      [l.vlan, l.domain, l.trunk_status, l.trunk_mode, l.trunk_encapsulation, l.trunk_admin_encapsulation, l.sender_id],
      [20, 'WARD-VTP', 'trunk', 'on', 'isl', 'isl', '02:97:0d:00:00:aa'],
    );
  } finally {
    run.cleanup();
  }
});

test('parseDtp() survives truncation and mutation of real advertisements', () => {
  // Each DTP frame after Ethernet 802.3 (14 bytes) and LLC/SNAP (8).
  const all = pcapFrames(PCAP, 22);
  const seeds = dtpRows.map((r) => all[Number(r[0]) - 1]);
  assert.deepEqual(seeds.map((x) => parseDtp(x, 0, x.length) !== 'bad'), dtpRows.map(() => true));
  fuzzParser(seeds, (b) => {
    parseDtp(b, 0, b.length);
  });
});
