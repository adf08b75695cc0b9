// EtherNet/IP against CISA's icsnpp-enip expected logs (enip.log header fields, cip.log service
// and class) for its two captures, the conn.log service, plus a ListIdentity reply built from
// icsnpp-enip's expected cip_identity.log row (its capture is not in the corpus), probe and fuzz.
// CIP I/O (UDP 2222) against nDPI's cip_io.pcap (nDPI: CIP; tshark 4.0's CIP I/O dissector for
// the fields) and icsnpp-enip's expected cip_io.log rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { writeUdpPcap } from '../../testutil/pcapwriter.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { parseCipIo, parseEncap } from './parse.js';
import { probe, probeCipIo } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ics = (...p: string[]): string => corpus('icsnpp-enip', 'tests', ...p);

// TCP payloads of the two icsnpp-enip captures (one packet each).
const MSP = hex(
  '7000ba0000010211000000000000000000000000000000000000000001000200a1000400010b7c00b100a60089070a02200224010b00180022002c0036004c005800640072007c008a0094000302200124010100050003022069240001000b0003022073240101000200030220ac240107000100020003000500070009000a000303206825002024010013000302207024010200120013000302208e240103000300080010000302206924000100090003022068240003000f0018001900030220772401010002000302208b240101000600',
);
const SET_ATTR = hex('70001c00f4ffcab4000000005f7079636f6d6d5f00000000000000000a000200a1000400ba629adab10008000d00100220012400');

// Synthetic: a ListIdentity reply encoding exactly what icsnpp-enip's expected cip_identity.log
// reports for its enip_cip_example.pcap (10.1.1.164, Rockwell vendor 1, Communications Adapter,
// product code 58, revision 4.3, status 0x0030, serial 0x00524d8e, "1756-ENBT/A", state 3).
const LIST_IDENTITY_REPLY = hex(`
  6300 3300 00000000 00000000 0000000000000000 00000000
  0100 0c00 2d00
  0100 0002 af12 0a0101a4 0000000000000000
  0100 0c00 3a00 04 03 3000 8e4d5200
  0b 313735362d454e42542f41 03`);
const LIST_IDENTITY_REQUEST = hex('6300 0000 00000000 00000000 0000000000000000 00000000');

test('parseEncap() reads the encapsulation header as icsnpp-enip prints it', () => {
  const r = parseEncap(SET_ATTR, 0, SET_ATTR.length);
  assert.ok(r !== 'bad');
  assert.equal(r.command, 'Send Unit Data');
  assert.equal(r.session_handle, '0xb4cafff4');
  assert.equal(r.sender_context, '0x5f7079636f6d6d5f');
  assert.equal(r.cip?.service, 'Set Attributes Single');
  assert.equal(r.cip?.class_name, 'Identity');
  assert.equal(r.cip?.sequence, 13);
});

test('parseEncap() reads a ListIdentity reply (synthetic, from icsnpp-enip cip_identity.log)', () => {
  const r = parseEncap(LIST_IDENTITY_REPLY, 0, LIST_IDENTITY_REPLY.length);
  assert.ok(r !== 'bad');
  const want = readZeekTsvRow();
  const id = r.identities![0];
  assert.equal(id.socket_address, want.socket_address);
  assert.equal(String(id.socket_port), want.socket_port);
  assert.equal(String(id.vendor), want.vendor_id);
  assert.equal(String(id.device_type_id), want.device_type_id);
  assert.equal(id.device_type, want.device_type_name);
  assert.equal(String(id.product_code), want.product_code);
  assert.equal(id.revision, want.revision);
  assert.equal(id.device_status, want.device_status);
  assert.equal(id.serial_number, want.serial_number);
  assert.equal(id.product_name, want.product_name);
  assert.equal(id.state, Number(want.device_state));
});

/** icsnpp-enip's cip_identity.log row (zeek-cut -n output: no header, README column order). */
function readZeekTsvRow(): Record<string, string> {
  const cols = [
    'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p',
    'encapsulation_version', 'socket_address', 'socket_port', 'vendor_id', 'vendor_name', 'device_type_id', 'device_type_name',
    'product_code', 'revision', 'device_status', 'serial_number', 'product_name', 'device_state',
  ];
  if (!haveCorpus()) {
    return { socket_address: '10.1.1.164', socket_port: '44818', vendor_id: '1', device_type_id: '12', device_type_name: 'Communications Adapter', product_code: '58', revision: '4.3', device_status: '0x0030', serial_number: '0x00524d8e', product_name: '1756-ENBT/A', device_state: '0x0003' };
  }
  const line = readFileSync(ics('baseline', 'analyzer.basic', 'cip_identity.log'), 'utf8').split('\n').find((l) => l.startsWith('XXXX'))!;
  const vals = line.split('\t');
  return Object.fromEntries(cols.map((c, i) => [c, vals[i]]));
}

test('probe() recognises encapsulation headers and rejects other payloads', () => {
  assert.equal(probe(SET_ATTR, 0, SET_ATTR.length), PROBE_YES);
  assert.equal(probe(LIST_IDENTITY_REQUEST, 0, LIST_IDENTITY_REQUEST.length), PROBE_YES);
  const tls = hex('160301002a0100002603035a');
  assert.equal(probe(tls, 0, tls.length), PROBE_NO);
  // An empty ListIdentity is a request: from the responder it is not EtherNet/IP.
  assert.equal(probe(LIST_IDENTITY_REQUEST, 0, LIST_IDENTITY_REQUEST.length, false), PROBE_NO);
});

test("a proprietary protocol whose server sends 24 bytes of 0x63 and zeros is not EtherNet/IP (Zeek's mapi.pcap, port 46348)", { skip }, async () => {
  // tshark: frame 66, 192.168.0.105:46348 → 192.168.0.167:1076, payload 6300…2c0e00000000 after
  // the client's 03020f01…; tshark does not call it ENIP either.
  const run = await runCaptures([corpus('zeek', 'traces', 'dce-rpc', 'mapi.pcap')]);
  try {
    const c = run.conns.find((k) => k.rPort === 46348)!;
    assert.equal(c.service, '');
    assert.deepEqual(run.log('enip'), []);
  } finally {
    run.cleanup();
  }
});

test('parseEncap() survives truncation and mutation of real and identity messages', () => {
  fuzzParser([MSP, SET_ATTR, LIST_IDENTITY_REPLY], (b) => {
    parseEncap(b, 0, b.length);
    probe(b, 0, b.length);
  });
});

const CASES = [
  { dir: 'analyzer.multiple_service_request', trace: 'multiple_service_packet_cip.pcapng' },
  { dir: 'analyzer.set_attr_single_service', trace: 'set_attribute_single_service_cip.pcapng' },
];
const ENIP_COLS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'enip_command_code', 'enip_command', 'length', 'session_handle', 'enip_status', 'sender_context', 'options'];
const CIP_COLS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'cip_sequence_count', 'direction', 'cip_service_code', 'cip_service', 'cip_status_code', 'cip_status', 'cip_extended_status_code', 'cip_extended_status', 'class_id', 'class_name', 'instance_id', 'attribute_id'];

/** icsnpp-enip's baselines were cut with `zeek-cut -n packet_correlation_id`: no header row. */
function cutLog(path: string, cols: string[]): Record<string, string>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('XXXX'))
    .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

for (const { dir, trace } of CASES) {
  test(`enip.log matches icsnpp-enip's ${dir} enip.log and cip.log`, { skip }, async () => {
    const enip = cutLog(ics('baseline', dir, 'enip.log'), ENIP_COLS);
    const cip = cutLog(ics('baseline', dir, 'cip.log'), CIP_COLS);
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const mine = run.log('enip');
      assert.equal(mine.length, enip.length);
      for (let i = 0; i < enip.length; i++) {
        const w = enip[i];
        const g = mine[i];
        for (const [a, b] of [['id.orig_h', 'id.orig_h'], ['id.resp_h', 'id.resp_h'], ['command_code', 'enip_command_code'], ['command', 'enip_command'], ['length', 'length'], ['session_handle', 'session_handle'], ['status', 'enip_status'], ['sender_context', 'sender_context'], ['options', 'options']]) {
          assert.equal(String(g[a]), w[b], a);
        }
      }
      // The first CIP message, then the Multiple Service Packet's embedded ones, in order.
      const first = mine[0];
      assert.equal(first.cip_service, cip[0].cip_service);
      assert.equal(first.cip_service_code, cip[0].cip_service_code);
      assert.equal(first.cip_class, cip[0].class_name);
      assert.equal(first.cip_class_id, cip[0].class_id);
      assert.equal(String(first.cip_sequence), cip[0].cip_sequence_count);
      const embedded = cip.slice(1).map((c) => `${c.cip_service} ${c.class_id}`);
      assert.deepEqual(first.cip_embedded_services ?? [], embedded);
      assert.deepEqual(run.conns.map((c) => c.service), ['enip']);
    } finally {
      run.cleanup();
    }
  });
}

test('a ListIdentity exchange over UDP logs the device identity and a software entry (synthetic capture)', async () => {
  const path = writeUdpPcap([
    { ts: 1000, src: '10.1.1.167', sport: 5262, dst: '10.1.1.255', dport: 44818, payload: LIST_IDENTITY_REQUEST },
    { ts: 1000.01, src: '10.1.1.164', sport: 44818, dst: '10.1.1.167', dport: 5262, payload: LIST_IDENTITY_REPLY },
  ]);
  const run = await runCaptures([path]);
  try {
    const lines = run.log('enip');
    assert.equal(lines.length, 2);
    const reply = lines.find((l) => l.product_name !== undefined)!;
    assert.equal(reply.command, 'List Identity');
    assert.equal(reply.vendor, 1);
    assert.equal(reply.device_type, 'Communications Adapter');
    assert.equal(reply.product_code, 58);
    assert.equal(reply.revision, '4.3');
    assert.equal(reply.product_name, '1756-ENBT/A');
    assert.equal(reply.serial_number, '0x00524d8e');
    assert.ok(run.conns.every((c) => c.service === 'enip'));
    const sw = run.log('software');
    assert.equal(sw.length, 1);
    assert.equal(sw[0].host, '10.1.1.164');
    assert.equal(sw[0].unparsed_version, '1756-ENBT/A 4.3');
  } finally {
    run.cleanup();
  }
});

test("CIP I/O datagrams give cip_io.log lines with tshark's connection ids, sequence numbers and data (nDPI's cip_io.pcap)", { skip }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'cip_io.pcap')]);
  try {
    // nDPI: "UDP 192.168.5.62:2222 <-> 192.168.5.50:2222 [proto: 393/CIP]"; icsnpp-enip names it cip.
    assert.deepEqual(run.log('conn').map((c) => c.service), ['cip']);
    const rows = run.log('cip_io').map((l) => [l.source_h, l.destination_h, l.is_orig, l.connection_id, l.sequence_number, l.data_length, l.io_data]);
    // tshark -V: Connection ID, Encapsulation Sequence Number, Connected Data item Length, Data
    assert.deepEqual(rows, [
      ['192.168.5.62', '192.168.5.50', true, '0x003a7b78', 73321448, 12, '0300fdffffffffffffff0000'],
      ['192.168.5.50', '192.168.5.62', false, '0x7691b4eb', 73321556, 16, 'c6e401000000fdffffffffffffff0000'],
      ['192.168.5.62', '192.168.5.50', true, '0x003a7b78', 73321449, 12, '0300fdffffffffffffff0000'],
      ['192.168.5.50', '192.168.5.62', false, '0x7691b4eb', 73321557, 16, 'fbe401000000fdffffffffffffff0000'],
    ]);
    assert.equal(run.log('weird').length, 0);
  } finally {
    run.cleanup();
  }
});

/** A CIP I/O datagram: item count 2, Sequenced Address item, Connected Data item. */
function ioDatagram(connId: number, seq: number, data: Uint8Array): Uint8Array {
  const b = Buffer.alloc(18 + data.length);
  b.writeUInt16LE(2, 0);
  b.writeUInt16LE(0x8002, 2);
  b.writeUInt16LE(8, 4);
  b.writeUInt32LE(connId, 6);
  b.writeUInt32LE(seq, 10);
  b.writeUInt16LE(0x00b1, 14);
  b.writeUInt16LE(data.length, 16);
  b.set(data, 18);
  return b;
}

test("cip_io.log reproduces icsnpp-enip's expected rows (synthetic datagrams from its cip_io.log; its capture is not in the corpus)", { skip }, async () => {
  // zeek-cut -n output: no header; the columns are those icsnpp-enip's README lists for cip_io.log.
  const cols = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'connection_id', 'sequence_number', 'data_length', 'io_data'];
  const want = readFileSync(ics('baseline', 'analyzer.basic', 'cip_io.log'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .slice(0, 14)
    .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
  // twelve from 192.168.1.24, one answer from 192.168.1.22 (is_orig F), one more from .24
  assert.deepEqual(want.map((w) => w.is_orig).join(''), 'TTTTTTTTTTTFTT');
  const path = writeUdpPcap(
    want.map((w, i) => ({
      ts: 1594737341 + i / 1e4,
      src: w.source_h,
      sport: Number(w.source_p),
      dst: w.destination_h,
      dport: Number(w.destination_p),
      payload: ioDatagram(parseInt(w.connection_id, 16), Number(w.sequence_number), hex(w.io_data)),
    })),
  );
  const run = await runCaptures([path]);
  try {
    const got = run.log('cip_io');
    const fields = ['is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'connection_id', 'sequence_number', 'data_length', 'io_data'];
    assert.deepEqual(
      got.map((g) => fields.map((f) => (f === 'is_orig' ? (g[f] ? 'T' : 'F') : String(g[f])))),
      want.map((w) => fields.map((f) => w[f])),
    );
    assert.ok(run.conns.every((c) => c.service === 'cip'));
  } finally {
    run.cleanup();
  }
});

test('probeCipIo() wants the two items with exact lengths; parseCipIo() survives mutation', () => {
  const d = ioDatagram(0x004b0603, 4166875, hex('a587e80f0300'));
  assert.equal(probeCipIo(d, 0, d.length, true, 17), PROBE_YES);
  assert.equal(probeCipIo(d, 0, d.length, true, 6), PROBE_NO);
  assert.equal(probeCipIo(d, 0, d.length - 1, true, 17), PROBE_NO, 'the data item must end the datagram');
  const three = Uint8Array.from(d);
  three[0] = 3;
  assert.equal(probeCipIo(three, 0, three.length, true, 17), PROBE_NO);
  assert.equal(probeCipIo(LIST_IDENTITY_REQUEST, 0, LIST_IDENTITY_REQUEST.length, true, 17), PROBE_NO);
  fuzzParser([d, ioDatagram(1, 2, new Uint8Array(0))], (b) => parseCipIo(b, 0, b.length));
});
