// Spanning Tree BPDUs against tshark 4.0's decode of the three corpus captures that hold any (Zeek
// mapi.pcap, ncp.pcap and wikipedia.pcap, test/fixtures/stp/) and of a generated capture of real implementations
// (test/fixtures/generated/stp/generate.sh: two Linux kernel bridges running 802.1D STP and
// Yersinia claiming the root role); RSTP, MSTP and PVST+ bodies no capture here holds, built by
// hand (said there); fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames, writePcap } from '../../testutil/pcapwriter.js';
import { parseBpdu } from './parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-stp-root-claim.pcap');

/** tshark's rows: frame, eth src, version, type, flags, root prio/ext/mac, cost, bridge prio/ext/mac, port, msg age, max age, hello, forward delay. */
const tsv = readTsharkFields;
const rows = tsv(join(GEN, 'stp', 'tshark.tsv'));
const skip = !haveCorpus() && 'shared corpus not present';

async function compare(pcap: string, rows: string[][]): Promise<void> {
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('stp');
    for (const { l, r, at } of linesByFrame(log, rows)) {
      assert.deepEqual([l.mac_src, l.protocol], [r[1], r[2] === '0' ? 'stp' : r[2] === '2' ? 'rstp' : 'mstp'], at);
      assert.equal(l.bpdu_type, r[3] === '0x80' ? 'tcn' : r[3] === '0x02' ? 'rst' : 'config', at);
      if (r[3] === '0x80') {
        assert.equal(l.root_id, undefined, at);
        continue;
      }
      const flags = Number(r[4]);
      assert.deepEqual([l.tc, l.tca], [(flags & 1) !== 0, (flags & 0x80) !== 0], at);
      if (r[3] === '0x02') {
        assert.deepEqual(
          [l.proposal, l.port_role, l.learning, l.forwarding, l.agreement],
          [(flags & 2) !== 0, ['unknown', 'alternate_backup', 'root', 'designated'][(flags >> 2) & 3], (flags & 0x10) !== 0, (flags & 0x20) !== 0, (flags & 0x40) !== 0],
          at,
        );
      }
      assert.equal(l.root_id, `${r[5]}/${r[6]}/${r[7]}`, at);
      assert.equal(l.root_cost, Number(r[8]), at);
      assert.equal(l.bridge_id, `${r[9]}/${r[10]}/${r[11]}`, at);
      assert.equal(l.port_id, r[12], at);
      assert.deepEqual([l.message_age, l.max_age, l.hello_time, l.forward_delay], [r[13], r[14], r[15], r[16]].map(Number), at);
    }
    assert.deepEqual(
      Object.keys(run.result.weirds).filter((w) => w.startsWith('stp.')),
      [],
    );
  } finally {
    run.cleanup();
  }
}

test('stp.log: one line per BPDU with tshark\'s version, type, flags, root and bridge identifiers, cost, port and timers (generated: Linux bridges, Yersinia)', async () => {
  assert.equal(rows.length, 17);
  await compare(PCAP, rows);
});

test('stp.log on the corpus BPDUs: a bridge that is its own root (Zeek mapi.pcap), a port 10 from its root (Zeek ncp.pcap), a Cisco switch\'s rapid PVST for VLAN 720 (Zeek wikipedia.pcap)', { skip }, async () => {
  for (const [file, name, n] of [
    [['zeek', 'traces', 'dce-rpc', 'mapi.pcap'], 'zeek-mapi', 1],
    [['zeek', 'traces', 'ncp.pcap'], 'zeek-ncp', 1],
    [['zeek', 'traces', 'wikipedia.pcap'], 'zeek-wikipedia', 4],
  ] as const) {
    const want = tsv(join(REPO_ROOT, 'test', 'fixtures', 'stp', `${name}.tshark.tsv`));
    assert.equal(want.length, n, name);
    await compare(corpus(...file), want);
  }
});

/** An RST BPDU body: flags, root and bridge ids, then optionally MSTP's part (synthetic). */
function rst(version: number, flags: number, mst?: { name: string; revision: number; mstis: number }): Buffer {
  const b = Buffer.alloc(mst === undefined ? 36 : 102 + mst.mstis * 16);
  b[2] = version;
  b[3] = 0x02;
  b[4] = flags;
  Buffer.from('7001' + '0297000000aa', 'hex').copy(b, 5);
  b.writeUInt32BE(20000, 13);
  Buffer.from('8001' + '0297000000bb', 'hex').copy(b, 17);
  b.writeUInt16BE(0x8003, 25);
  b.writeUInt16BE(20 * 256, 29);
  b.writeUInt16BE(2 * 256, 31);
  b.writeUInt16BE(15 * 256, 33);
  if (mst !== undefined) {
    b.writeUInt16BE(64 + mst.mstis * 16, 36);
    Buffer.from(mst.name).copy(b, 39);
    b.writeUInt16BE(mst.revision, 71);
  }
  return b;
}

// Synthetic: the kernel bridges and Yersinia speak 802.1D only; RSTP's roles, MSTP's region and
// Cisco's PVST+ VLAN are built here after 802.1D-2004 §9.3.3 and 802.1Q §14.
test('RSTP flags and port role, MSTP configuration name and MSTIs, PVST+ VLAN (synthetic)', async () => {
  const eth = (dst: string, body: Buffer): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from(dst + '0297000000cc', 'hex'), Buffer.from([0, body.length + 3]), Buffer.from([0x42, 0x42, 0x03]), body]));
  const pvst = (body: Buffer, vlan: number): Uint8Array => {
    const tlv = Buffer.from([0, 0, 0, 2, vlan >> 8, vlan & 0xff]);
    const snap = Buffer.from('aaaa0300000c010b', 'hex');
    const payload = Buffer.concat([snap, body, tlv]);
    return new Uint8Array(Buffer.concat([Buffer.from('01000ccccccd' + '0297000000cc', 'hex'), Buffer.from([payload.length >> 8, payload.length & 0xff]), payload]));
  };
  const pcap = writePcap([
    // Proposal, designated role, learning, forwarding, agreement.
    { ts: 1, frame: eth('0180c2000000', rst(2, 0x02 | (3 << 2) | 0x10 | 0x20 | 0x40)) },
    { ts: 2, frame: eth('0180c2000000', rst(3, 0x01 | (2 << 2), { name: 'WARD-REGION', revision: 7, mstis: 2 })) },
    { ts: 3, frame: pvst(rst(2, 3 << 2), 30) },
  ]);
  const run = await runCaptures([pcap]);
  try {
    const log = run.log('stp');
    assert.deepEqual(
      log.map((l) => [l.protocol, l.bpdu_type, l.port_role, l.proposal, l.agreement, l.learning, l.forwarding, l.tc, l.vlan ?? null]),
      [
        ['rstp', 'rst', 'designated', true, true, true, true, false, null],
        ['mstp', 'mst', 'root', false, false, false, false, true, null],
        ['pvst+/rstp', 'rst', 'designated', false, false, false, false, false, 30],
      ],
    );
    assert.deepEqual([log[1].mst_name, log[1].mst_revision, log[1].mstis], ['WARD-REGION', 7, 2]);
    assert.deepEqual([log[0].root_id, log[0].root_cost, log[0].bridge_id, log[0].port_id, log[0].forward_delay], ['28672/1/02:97:00:00:00:aa', 20000, '32768/1/02:97:00:00:00:bb', '0x8003', 15]);
  } finally {
    run.cleanup();
  }
});

/** The capture's BPDUs: each record's frame after Ethernet 802.3 (14 bytes) and LLC (3). */
function bpdus(): Uint8Array[] {
  return pcapFrames(PCAP, 17);
}

test('parseBpdu() survives truncation and mutation of real and built BPDUs', () => {
  const seeds = bpdus();
  assert.deepEqual(seeds.map((x) => parseBpdu(x, 0, x.length) !== 'bad'), rows.map(() => true));
  seeds.push(new Uint8Array(rst(3, 0x05, { name: 'R', revision: 1, mstis: 1 })));
  fuzzParser(seeds, (b) => {
    parseBpdu(b, 0, b.length);
    parseBpdu(b, 0, b.length, true);
  });
});
