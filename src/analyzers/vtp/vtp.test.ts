// VTP messages against tshark 4.0's decode of a generated capture (test/fixtures/generated/vtp/
// generate.sh: a domain's server and Yersinia's "deleting all VTP vlans", both spoken by Yersinia
// as Linux has no VTP); an advertisement request and a suspended VLAN, which neither sends, built
// by hand (said there); fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames, writePcap } from '../../testutil/pcapwriter.js';
import { parseVtp } from './parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-vtp-vlan-deletion.pcap');
/** tshark's rows: frame, time, eth src, version, code, domain, revision, updater, update timestamp, followers, sequence, VLAN ids (hex), VLAN names. */
const rows = readTsharkFields(join(GEN, 'vtp', 'tshark.tsv'));
const CODES: Record<string, string> = { '0x01': 'summary', '0x02': 'subset', '0x03': 'request', '0x04': 'join' };

test("vtp.log: one line per VTP message with tshark's version, code, domain, revision, updater, followers, sequence and VLANs (generated: a server's summaries, Yersinia deleting the domain's VLANs)", async () => {
  assert.equal(rows.length, 6);
  const run = await runCaptures([PCAP]);
  try {
    for (const { l, r, at } of linesByFrame(run.log('vtp'), rows)) {
      assert.deepEqual([l.mac_src, l.version, l.code, l.domain, l.revision], [r[2], Number(r[3]), CODES[r[4]], r[5], Number(r[6])], at);
      if (l.code === 'summary') {
        assert.deepEqual([l.updater, l.update_ts ?? '', l.followers], [r[7], r[8], Number(r[9])], at);
      } else {
        const ids = r[11].split(',').map(Number);
        const names = r[12].split(',');
        assert.deepEqual([l.sequence, l.vlans], [Number(r[10]), ids.map((id, i) => `${id}:${names[i]}`)], at);
      }
    }
    assert.deepEqual(Object.keys(run.result.weirds).filter((w) => w.startsWith('vtp.')), []);
  } finally {
    run.cleanup();
  }
});

// Synthetic: no capture here holds an advertisement request or a suspended VLAN; built after
// Wireshark's packet-vtp.c reading of those fields.
test('an advertisement request and a subset with a suspended VLAN (synthetic)', async () => {
  const domain = Buffer.alloc(32);
  domain.write('WARD');
  const frame = (body: Buffer): Uint8Array => {
    const snap = Buffer.concat([Buffer.from('aaaa0300000c2003', 'hex'), body]);
    return new Uint8Array(Buffer.concat([Buffer.from('01000ccccccc' + '02971100002a', 'hex'), Buffer.from([snap.length >> 8, snap.length & 0xff]), snap]));
  };
  const request = Buffer.concat([Buffer.from([2, 3, 0, 4]), domain, Buffer.from([0, 20])]);
  const name = Buffer.from('PUMPS\0\0\0');
  const vlan = Buffer.concat([Buffer.from([12 + name.length, 0x01, 0x01, 5, 0, 20, 0x05, 0xdc, 0, 1, 0x86, 0xb4]), name]);
  const subset = Buffer.concat([Buffer.from([2, 2, 1, 4]), domain, Buffer.from([0, 0, 0, 9]), vlan]);
  const run = await runCaptures([writePcap([{ ts: 1, frame: frame(request) }, { ts: 2, frame: frame(subset) }])]);
  try {
    const [req, sub] = run.log('vtp');
    assert.deepEqual([req.code, req.domain, req.start_value], ['request', 'WARD', 20]);
    assert.deepEqual([sub.code, sub.revision, sub.sequence, sub.vlans], ['subset', 9, 1, ['20:PUMPS (suspended)']]);
  } finally {
    run.cleanup();
  }
});

test('parseVtp() survives truncation and mutation of real messages', () => {
  // Each frame after Ethernet 802.3 (14 bytes) and LLC/SNAP (8).
  const seeds = pcapFrames(PCAP, 22);
  assert.deepEqual(seeds.map((x) => parseVtp(x, 0, x.length) !== 'bad'), rows.map(() => true));
  fuzzParser(seeds, (b) => {
    parseVtp(b, 0, b.length);
  });
});
