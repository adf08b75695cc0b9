// IEC 60870-5-104 against real captures: nDPI's IEC104.pcap and iec60780-5-104.pcap, with
// nDPI's flow labels (result/*.out) and tshark 4.0.17's iec60870_104 / iec60870_asdu dissection
// of every APDU as the expectation; plus probe, chunking, run-folding and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { connUid } from '../../flow/uid.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { FakeContext, captureStreams } from '../streams.testutil.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { Iec104Analyzer, RUN_WINDOW_SEC } from './analyzer.js';
import { apduLength, cotName, findStart, parseApdu, typeName } from './parse.js';
import { probe } from './probe.js';
import type { Iec104Apdu } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const NDPI = (f: string): string => corpus('ndpi', 'pcap', f);

// APDUs copied from the captures (tshark frame numbers).
const STARTDT_ACT = hex('680407000000'); // iec60780-5-104.pcap frame 4
const S_FRAME = hex('6804010042b9'); // IEC104.pcap frame 3
const M_ME_TF_1 = hex('68192c7e42b9240103001429cbb202cdcc2c3e0094dc028a230a0b'); // IEC104.pcap frame 7
// iec60780-5-104.pcap frame 110: S-frame and three I-frames in one segment.
const FRAME_110 = hex('680401000200680e02000200640107000d9100000014681604000200018914000d911a2700d0808080c080808080681006000200038314000d912a4e00808080');
const C_SC_TEST = hex('680e080014002d0186020d91ce560081'); // frame 133: C_SC_NA_1 act, test bit, originator 2
const C_SC_NEG = hex('680e0a0016002d0146030d9135820081'); // frame 136: P/N bit set
const C_CS = hex('68140c001600670106040d91000000c83239081d0808'); // frame 139: clock synchronisation

test('parseApdu() reads U, S and I formats with the ASDU data unit identifier', () => {
  assert.deepEqual(parseApdu(STARTDT_ACT, 0, 6), { format: 'U', uFunc: 'STARTDT_act' });
  assert.deepEqual(parseApdu(S_FRAME, 0, 6), { format: 'S', rx: 0x5ca1 });
  assert.equal(M_ME_TF_1.length, 27);
  assert.deepEqual(parseApdu(M_ME_TF_1, 0, 27), {
    format: 'I',
    tx: 0x3f16,
    rx: 0x5ca1,
    asdu: { typeId: 36, sq: false, numObjects: 1, cot: 3, negative: false, test: false, originator: 0, commonAddr: 10516, ioa: 176843 },
  });
  const t = parseApdu(C_SC_TEST, 0, C_SC_TEST.length);
  assert.ok(t !== 'bad');
  assert.deepEqual([t.asdu?.cot, t.asdu?.test, t.asdu?.negative, t.asdu?.originator, t.asdu?.ioa], [6, true, false, 2, 22222]);
  const n = parseApdu(C_SC_NEG, 0, C_SC_NEG.length);
  assert.ok(n !== 'bad');
  assert.deepEqual([n.asdu?.cot, n.asdu?.test, n.asdu?.negative, n.asdu?.originator, n.asdu?.ioa], [6, false, true, 3, 33333]);
});

test("parseApdu() agrees with tshark's sequence numbers in frame 110 (S rx=1; I tx=1,2,3 rx=1)", () => {
  const got: unknown[] = [];
  for (let p = 0; p < FRAME_110.length; ) {
    const n = apduLength(FRAME_110, p, FRAME_110.length - p);
    const r = parseApdu(FRAME_110, p, n);
    assert.ok(r !== 'bad');
    got.push([r.format, r.tx, r.rx, r.asdu?.sq, r.asdu?.numObjects, r.asdu?.ioa]);
    p += n;
  }
  assert.deepEqual(got, [
    ['S', undefined, 1, undefined, undefined, undefined],
    ['I', 1, 1, false, 1, 0],
    ['I', 2, 1, true, 9, 10010],
    ['I', 3, 1, true, 3, 20010],
  ]);
});

test('typeName() and cotName() give the standard mnemonics as tshark shows them', () => {
  // tshark -V: "TypeId: M_ME_TF_1 (36)", "C_IC_NA_1 (100)", "C_CS_NA_1 (103)", "M_SP_TB_1 (30)";
  // "CauseTx: Spont (3)", "Inrogen (20)", "ActCon (7)", "ActTerm (10)", "Inro6 (26)".
  assert.deepEqual([36, 100, 103, 30, 45, 46, 70].map(typeName), ['M_ME_TF_1', 'C_IC_NA_1', 'C_CS_NA_1', 'M_SP_TB_1', 'C_SC_NA_1', 'C_DC_NA_1', 'M_EI_NA_1']);
  assert.deepEqual([3, 20, 7, 10, 26, 4, 6].map(cotName), ['spont', 'inrogen', 'actcon', 'actterm', 'inro6', 'init', 'act']);
  assert.equal(typeName(24), 'unknown-24');
  assert.equal(cotName(0), 'unknown-0');
});

test('parseApdu() rejects control fields the standard does not allow', () => {
  // Bytes from nDPI's junk-prefixed stretches in iec60780-5-104.pcap (frames 25, 36, 41, 71).
  assert.equal(parseApdu(hex('680416161616'), 0, 6), 'bad', 'I-format without an ASDU');
  assert.equal(parseApdu(hex('68051717171717'), 0, 7), 'bad', 'U-format with two functions and a body');
  assert.equal(parseApdu(hex('68061818181818181818'), 0, 8), 'bad', 'I-format with a 2-octet ASDU');
  assert.equal(parseApdu(hex('6806191919191919'), 0, 8), 'bad', 'S-format longer than 4 octets');
  assert.equal(apduLength(hex('6802'), 0, 2), -1);
  assert.equal(findStart(hex('0202680012126804430000'), 0, 11), 6);
});

test('probe() is certain of STARTDT, sure of other APDUs, and rejects other protocols', () => {
  assert.equal(probe(STARTDT_ACT, 0, 6), PROBE_CERTAIN);
  assert.equal(probe(hex('68040b000000'), 0, 6), PROBE_CERTAIN);
  assert.equal(probe(S_FRAME, 0, 6), PROBE_YES);
  assert.equal(probe(M_ME_TF_1, 0, M_ME_TF_1.length), PROBE_YES);
  assert.equal(probe(FRAME_110, 0, FRAME_110.length), PROBE_YES);
  assert.equal(probe(M_ME_TF_1, 0, 10), PROBE_MAYBE);
  assert.equal(probe(hex('00'), 0, 1), PROBE_NO);
  assert.equal(probe(hex('680416161616'), 0, 6), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length), PROBE_NO);
  const modbus = hex('0000000000060a0800040000');
  assert.equal(probe(modbus, 0, modbus.length), PROBE_NO);
});

test('parsers survive truncation and mutation of real APDUs', () => {
  fuzzParser([STARTDT_ACT, S_FRAME, M_ME_TF_1, FRAME_110, C_SC_TEST, C_CS], (b) => {
    parseApdu(b, 0, b.length);
    apduLength(b, 0, b.length);
    findStart(b, 0, b.length);
    probe(b, 0, b.length);
    const ctx = new FakeContext(1578, 2404);
    const a = new Iec104Analyzer();
    a.data(ctx, true, b, 0, b.length);
    a.data(ctx, false, b, 0, b.length);
    a.gap(ctx, true);
    a.data(ctx, true, b, 0, b.length);
    a.end(ctx);
  });
});

/** Feeds a direction's bytes in pieces of `size` and returns the events. */
function feed(chunks: { isOrig: boolean; bytes: Uint8Array }[], size: number): Iec104Apdu[] {
  const ctx = new FakeContext(1578, 2404);
  const a = new Iec104Analyzer();
  for (const c of chunks) for (let p = 0; p < c.bytes.length; p += size) a.data(ctx, c.isOrig, c.bytes, p, Math.min(size, c.bytes.length - p));
  a.end(ctx);
  return ctx.of('iec104.apdu') as Iec104Apdu[];
}

test('APDUs split anywhere in the stream, and junk between them, give the same events', { skip }, async () => {
  const streams = await captureStreams(NDPI('iec60780-5-104.pcap'));
  assert.equal(streams.length, 6);
  for (const s of streams) {
    const whole = feed(s.chunks, 1 << 20);
    assert.ok(whole.length > 0);
    for (const size of [1, 2, 3, 5, 7]) assert.deepEqual(feed(s.chunks, size), whole, `${s.oPort} in ${size}-byte pieces`);
  }
});

test('the streams of both captures survive mutation', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const f of ['IEC104.pcap', 'iec60780-5-104.pcap']) for (const s of await captureStreams(NDPI(f))) seeds.push(s.orig.subarray(0, 300), s.resp.subarray(0, 300));
  fuzzParser(seeds, (b) => {
    feed([{ isOrig: true, bytes: b }], 13);
  }, { mutations: 60 });
});

// Synthetic: the corpus has no long run of identical APDUs; IEC104.pcap frame 7 (an M_ME_TF_1
// spont) and iec60780-5-104.pcap frame 133 (a C_SC_NA_1 act) repeated stand in for one.
test('consecutive identical monitoring APDUs are counted; commands never are', () => {
  const ctx = new FakeContext(1578, 2404);
  const a = new Iec104Analyzer();
  const send = (isOrig: boolean, b: Uint8Array, ts: number): void => {
    ctx.packet.tsSec = ts;
    a.data(ctx, isOrig, b, 0, b.length);
  };
  for (let i = 0; i < 50; i++) send(false, M_ME_TF_1, 1000 + i);
  send(true, C_SC_TEST, 1100);
  send(true, C_SC_TEST, 1101);
  send(false, M_ME_TF_1, 1102);
  send(false, M_ME_TF_1, 1103 + RUN_WINDOW_SEC);
  a.end(ctx);
  const evs = ctx.of('iec104.apdu') as Iec104Apdu[];
  assert.deepEqual(
    evs.map((e) => [e.is_orig, e.type_id, e.count, e.ts_sec, e.command === true]),
    [
      [false, 36, 1, 1000, false],
      [true, 45, 1, 1100, true],
      [true, 45, 1, 1101, true],
      // The 49 repeats and the one at 1102 are one run, closed when the window ran out.
      [false, 36, 50, 1001, false],
      [false, 36, 1, 1103 + RUN_WINDOW_SEC, false],
    ],
  );
});

/**
 * tshark 4.0.17 on both captures: `tshark -r X -Y iec60870_104.type -T fields -e frame.number
 * -e tcp.srcport -e tcp.dstport -e iec60870_104.type -e iec60870_104.utype -e iec60870_asdu.typeid
 * -e iec60870_asdu.causetx -e iec60870_asdu.addr -e iec60870_asdu.numix -e iec60870_asdu.sq
 * -e iec60870_asdu.nega -e iec60870_asdu.test -e iec60870_asdu.oa`, empty fields as "-" (per
 * APDU in a frame: comma-separated; the ASDU columns list the I-format APDUs only).
 */
const TSHARK: Record<string, string> = {
  'IEC104.pcap': `
3 2404 54768 0x00000001
4 2404 54769 0x00000001
7 2404 54768 0x00000000 - 36 3 10516 1 0 0 0 0
9 2404 54768 0x00000000 - 36 3 10772 11 0 0 0 0
11 2404 54768 0x00000000 - 36 3 10516 16 0 0 0 0
13 2404 54768 0x00000000,0x00000000 - 36,36 3,3 10516,10772 5,1 0,0 0,0 0,0 0,0
15 2404 54768 0x00000000 - 36 3 10516 1 0 0 0 0`,
  'iec60780-5-104.pcap': `
4 1568 2404 0x00000003 0x00000001
5 2404 1568 0x00000003 0x00000002
13 1568 2404 0x00000003 0x00000010
14 2404 1568 0x00000003 0x00000020
20 1568 2404 0x00000003 0x00000010
21 2404 1568 0x00000003 0x00000020
25 1568 2404 0x00000000
33 1570 2404 0x00000003 0x00000001
34 2404 1570 0x00000003 0x00000002
36 1570 2404 0x00000003 0x00000005
38 1570 2404 0x00000003 0x00000010
39 2404 1570 0x00000003 0x00000020
41 1570 2404 0x00000000 - 24 - - 24 0
49 1571 2404 0x00000003 0x00000001
51 2404 1571 0x00000003 0x00000002
53 1571 2404 0x00000003 0x00000010
54 2404 1571 0x00000003 0x00000020
58 1571 2404 0x00000000 - 24 - - 24 0
66 1572 2404 0x00000003 0x00000001
67 2404 1572 0x00000003 0x00000002
69 1572 2404 0x00000003 0x00000010
70 2404 1572 0x00000003 0x00000020
71 1572 2404 0x00000001
75 1572 2404 0x00000001
77 1572 2404 0x00000003 0x00000010
78 2404 1572 0x00000003 0x00000020
80 1572 2404 0x00000003 0x00000010
81 2404 1572 0x00000003 0x00000020
83 1572 2404 0x00000000 - 26 26 - 26 0 0 0 26
91 1577 2404 0x00000003 0x00000001
92 2404 1577 0x00000003 0x00000002
96 1577 2404 0x00000000 - 26 26 - 26 0 0 0 26
104 1578 2404 0x00000003 0x00000001
105 2404 1578 0x00000003 0x00000002
107 2404 1578 0x00000000 - 70 4 37133 1 0 0 0 0
109 1578 2404 0x00000000 - 100 6 37133 1 0 0 0 0
110 2404 1578 0x00000001,0x00000000,0x00000000,0x00000000 - 100,1,3 7,20,20 37133,37133,37133 1,9,3 0,1,1 0,0,0 0,0,0 0,0,0
112 1578 2404 0x00000001
113 2404 1578 0x00000000 - 100 10 37133 1 0 0 0 0
115 1578 2404 0x00000001
117 1578 2404 0x00000000 - 46 6 37133 1 0 0 0 1
118 2404 1578 0x00000001,0x00000000 - 46 7 37133 1 0 1 0 1
120 1578 2404 0x00000001
122 2404 1578 0x00000000 - 70 4 37133 1 0 0 0 0
124 1578 2404 0x00000000 - 45 6 37133 1 0 0 0 1
125 2404 1578 0x00000001,0x00000000 - 45 7 37133 1 0 0 0 1
126 1578 2404 0x00000000 - 45 6 37133 1 0 0 0 1
127 2404 1578 0x00000001,0x00000000 - 45 7 37133 1 0 0 0 1
129 2404 1578 0x00000000 - 30 3 37133 1 0 0 0 0
131 1578 2404 0x00000001
133 1578 2404 0x00000000 - 45 6 37133 1 0 0 1 2
134 2404 1578 0x00000001,0x00000000 - 45 7 37133 1 0 1 1 2
136 1578 2404 0x00000000 - 45 6 37133 1 0 1 0 3
137 2404 1578 0x00000001
139 1578 2404 0x00000000 - 103 6 37133 1 0 0 0 4
140 2404 1578 0x00000001,0x00000000 - 103 7 37133 1 0 0 0 4
142 1578 2404 0x00000001`,
};

/**
 * Frames where tshark decodes what wardline rejects: nDPI's capture sends runs of filler octets
 * (00, 01 01, … 0a×10) each followed by 0x68 and a length too short for what follows; tshark,
 * which also hunts for the start octet, reads them as an I-format APDU without ASDU (25), a
 * U-format with two function bits (36), S-formats 6 octets long (71, 75) and ASDUs of 2 and 4
 * octets (41, 58, 83, 96). IEC 60870-5-104 §5 allows none of these, so they are skipped as not an
 * APDU (weird iec104.not_apdu).
 */
const JUNK: Record<string, number[]> = { 'IEC104.pcap': [], 'iec60780-5-104.pcap': [25, 36, 41, 58, 71, 75, 83, 96] };

/** tshark's U-format function labels ("UType: STARTDT act (0x01)" …). */
const UTYPE: Record<string, string> = { '0x00000001': 'STARTDT_act', '0x00000002': 'STARTDT_con', '0x00000004': 'STOPDT_act', '0x00000008': 'STOPDT_con', '0x00000010': 'TESTFR_act', '0x00000020': 'TESTFR_con' };

const SERVER_PORT = '2404';

/** Per "<client port> <orig|resp>": the APDUs tshark saw, in order. */
function tsharkApdus(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of TSHARK[file].trim().split('\n')) {
    const [frame, src, dst, types, utype, ...asdu] = line.split(' ');
    if (JUNK[file].includes(Number(frame))) continue;
    const key = src === SERVER_PORT ? `${dst} resp` : `${src} orig`;
    const cols = asdu.map((c) => c.split(','));
    const list = out.get(key) ?? [];
    let i = 0;
    for (const t of types.split(',')) {
      if (t === '0x00000003') list.push(`U ${UTYPE[utype]}`);
      else if (t === '0x00000001') list.push('S');
      else list.push(`I ${cols.map((c) => c[i]).join(' ')}`), i++;
    }
    out.set(key, list);
  }
  return out;
}

for (const file of ['IEC104.pcap', 'iec60780-5-104.pcap']) {
  test(`iec104 events agree with tshark's dissection of ${file}`, { skip }, async () => {
    const run = await runCaptures([NDPI(file)]);
    try {
      const port = new Map<string | null, number>(run.conns.map((c) => [connUid(c), c.oPort]));
      const got = new Map<string, string[]>();
      for (const { uid, ev } of run.result.events) {
        if (ev.type !== 'iec104.apdu') continue;
        const e = ev as Iec104Apdu;
        const k = `${port.get(uid)} ${e.is_orig ? 'orig' : 'resp'}`;
        const s =
          e.apci_type === 'U'
            ? `U ${e.u_func}`
            : e.apci_type === 'S'
              ? 'S'
              : `I ${e.type_id} ${e.cot} ${e.asdu_addr} ${e.num_objects} ${Number(e.sq)} ${Number(e.negative)} ${Number(e.test)} ${e.originator}`;
        const l = got.get(k) ?? [];
        // A run's repeats stand for `count` APDUs like the one before them.
        for (let n = 0; n < e.count; n++) l.push(s);
        got.set(k, l);
      }
      assert.deepEqual([...got.entries()].sort(), [...tsharkApdus(file).entries()].sort());
      assert.equal(run.result.stats.analyzer_failures, 0);
    } finally {
      run.cleanup();
    }
  });
}

test("every flow nDPI labels IEC60870 is conn.log service iec104, and no other is", { skip }, async () => {
  for (const file of ['IEC104.pcap', 'iec60780-5-104.pcap']) {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${file}.out`)).filter((f) => f.app === 'IEC60870');
    assert.ok(flows.length > 0, file);
    const run = await runCaptures([NDPI(file)]);
    try {
      for (const f of flows) {
        const c = run.conns.find((x) => (x.oPort === f.aPort && x.rPort === f.bPort) || (x.oPort === f.bPort && x.rPort === f.aPort));
        assert.equal(c?.service, 'iec104', `${file} ${f.a}:${f.aPort} ${f.b}:${f.bPort}`);
      }
      assert.equal(run.conns.filter((c) => c.service === 'iec104').length, flows.length);
    } finally {
      run.cleanup();
    }
  }
});

test('iec104.log names types and causes, and marks each command issued with its object', { skip }, async () => {
  const run = await runCaptures([NDPI('iec60780-5-104.pcap')]);
  try {
    const lines = run.log('iec104');
    assert.deepEqual(Object.keys(lines.find((l) => l.type === 'C_DC_NA_1')!), [
      'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'apci_type', 'type', 'cot', 'asdu_addr', 'originator', 'num_objects', 'command', 'ioa',
    ]);
    // tshark: frames 109, 117, 124, 126, 133, 136, 139 carry C_* with CauseTx Act, from the client.
    const cmds = lines.filter((l) => l.command === true);
    assert.deepEqual(
      cmds.map((l) => `${l.type} ${l.cot} ${l.ioa} ${l.is_orig}`),
      ['C_IC_NA_1 act 0 true', 'C_DC_NA_1 act 15000 true', 'C_SC_NA_1 act 10010 true', 'C_SC_NA_1 act 10010 true', 'C_SC_NA_1 act 22222 true', 'C_SC_NA_1 act 33333 true', 'C_CS_NA_1 act 0 true'],
    );
    // Their confirmations come from the outstation and are not commands.
    assert.ok(lines.filter((l) => l.cot === 'actcon').every((l) => l.command === undefined && l.is_orig === false));
    assert.equal(lines.filter((l) => l.cot === 'actcon').length, 6);
    const first = lines.filter((l) => l.uid === cmds[0].uid).slice(0, 2);
    assert.deepEqual(first.map((l) => l.u_func), ['STARTDT_act', 'STARTDT_con']);
    assert.ok(lines.some((l) => l.type === 'M_SP_NA_1' && l.cot === 'inrogen' && l.sq === true && l.num_objects === 9));
    assert.ok(lines.some((l) => l.type === 'C_SC_NA_1' && l.test === true && l.negative === true && l.cot === 'actcon'));
    assert.equal(run.result.weirds['iec104.not_apdu'] > 0, true);
  } finally {
    run.cleanup();
  }
});
