// S7comm / S7comm-plus against CISA's icsnpp-s7comm expected logs (s7comm.log, s7comm_read_szl.log,
// s7comm_plus.log, conn.log) for its two captures, nDPI's flow protocols for its two S7
// captures, the SZL identity of snap7.pcap as Wireshark decodes it, plus probe and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { parseS7, parseS7Plus, parseTpdu } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const ics = (...p: string[]): string => corpus('icsnpp-s7comm', 'tests', ...p);

// TCP payloads from icsnpp-s7comm/tests/traces/snap7.pcap (frames 1, 3, 4) and s7comm_plus.pcap (frame 7).
const SETUP = hex('0300001902f08032010000000000080000f0000001000101e0');
const SZL_REQ = hex('0300002102f080320700000100000800080001120411440100ff09000400110000');
const SZL_RESP = hex(
  '0300009902f080320700000100000c007c000112081284010200000000ff09007800110000001c0004000136455337203331352d32454831342d304142302000c000030001000636455337203331352d32454831342d304142302000c0000300010007202020202020202020202020202020202020202000c0560302070081426f6f74204c6f61646572202020202020202020000041200909',
);
const S7P_REQ = hex('0300006802f0807203005920e969a95a852ab0e288480ccecb618e48779f4b68a1ce9a9c42cd6aa5');

test('parseS7() reads a SZL 0x0011 answer: order number and firmware', () => {
  const t = parseTpdu(SZL_RESP, 0, SZL_RESP.length);
  assert.ok(t !== 'bad');
  const r = parseS7(SZL_RESP, t.dataOff, t.dataLen);
  assert.ok(r !== 'bad');
  assert.equal(r.function, 'Response: CPU Functions');
  assert.equal(r.subfunction, 'Read SZL');
  assert.equal(r.szl_id, '0x0011');
  // Wireshark: "MlfB (Order number of the module): 6ES7 315-2EH14-0AB0"; firmware Ausbg 'V' 3, Ausbe 2.7.
  assert.equal(r.order_number, '6ES7 315-2EH14-0AB0');
  assert.equal(r.firmware, 'V3.2.7');
});

test('probe() recognises S7 on TPKT/COTP and leaves other TPKT users alone off-port', () => {
  assert.equal(probe(SETUP, 0, SETUP.length), PROBE_YES);
  assert.equal(probe(SZL_REQ, 0, SZL_REQ.length), PROBE_YES);
  // An RDP connection request (TPKT + COTP CR with a cookie, no TSAPs) is only a "maybe".
  const rdp = Buffer.concat([hex('0300002a25e00000000000'), Buffer.from('Cookie: mstshash=user\r\n'), hex('0100080003000000')]);
  assert.equal(probe(rdp, 0, rdp.length), PROBE_MAYBE);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length), PROBE_NO);
});

test('parsers survive truncation and mutation of real PDUs', () => {
  fuzzParser([SETUP, SZL_REQ, SZL_RESP, S7P_REQ], (b) => {
    const t = parseTpdu(b, 0, b.length);
    probe(b, 0, b.length);
    if (t === 'bad') return;
    parseS7(b, t.dataOff, Math.max(0, Math.min(t.dataLen, b.length - t.dataOff)));
    parseS7Plus(b, t.dataOff, Math.max(0, Math.min(t.dataLen, b.length - t.dataOff)));
  });
  fuzzParser([SZL_RESP.subarray(7), S7P_REQ.subarray(7)], (b) => {
    parseS7(b, 0, b.length);
    parseS7Plus(b, 0, b.length);
  });
});

/** icsnpp-s7comm prints the PDU reference with its two octets swapped (Wireshark shows 256 where it shows 1). */
const swap16 = (v: unknown): string => String(((Number(v) & 0xff) << 8) | (Number(v) >> 8));
const tuple = (r: Record<string, unknown>): string => `${r['id.orig_h']}:${r['id.orig_p']} > ${r['id.resp_h']}:${r['id.resp_p']}`;
const str = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));

for (const dir of ['analyzer.snap7', 'analyzer.s7comm_plus']) {
  const trace = dir === 'analyzer.snap7' ? 'snap7.pcap' : 's7comm_plus.pcap';
  test(`s7comm.log matches icsnpp-s7comm's ${dir}/s7comm.log`, { skip }, async () => {
    const want = readZeekTsv(ics('baseline', dir, 's7comm.log'));
    const run = await runCaptures([ics('traces', trace)]);
    try {
      // icsnpp logs a user-data answer split over several units once, at its last unit; it
      // logs neither the first unit ("more follows") nor the client's follow-up request (an
      // 8-octet request parameter, so it has an error code field). wardline logs every PDU;
      // those two are left out of the comparison.
      const all = run.log('s7comm');
      // icsnpp also writes no line for an ACK without parameters (snap7.pcap frame 44, the
      // PLC's error reply to a Start Upload).
      const mine = all.filter((r) => r.more_follows !== true && !(r.is_orig === true && r.error_code !== undefined) && r.rosctr !== 'ACK');
      if (dir === 'analyzer.snap7') assert.equal(all.length - mine.length, 3);
      const fmt = (r: Record<string, unknown>, isOrig: string, ref: string, rosctr: unknown, fn: unknown, sub: unknown): string =>
        [tuple(r), isOrig, str(r.rosctr_code), str(rosctr), ref, str(r.function_code), str(fn), str(r.subfunction_code), str(sub)].join(' | ');
      const theirs = want.map((w) => fmt(w, w.is_orig === 'T' ? 'true' : 'false', w.pdu_reference, w.rosctr_name, w.function_name, w.subfunction_name));
      const ours = mine.map((r) => fmt(r, String(r.is_orig), swap16(r.pdu_reference), r.rosctr, r.function, r.subfunction));
      assert.deepEqual(ours, theirs);
      // ACK-Data error class and code as icsnpp prints them.
      const acks = want.filter((w) => w.rosctr_name === 'ACK-Data');
      const ourAcks = mine.filter((r) => r.rosctr === 'ACK-Data');
      assert.deepEqual(ourAcks.map((r) => `${r.error_class} ${r.error_code}`), acks.map((w) => `${w.error_class} ${w.error_code}`));
    } finally {
      run.cleanup();
    }
  });
}

test("SZL reads match icsnpp-s7comm's snap7 s7comm_read_szl.log", { skip }, async () => {
  const want = readZeekTsv(ics('baseline', 'analyzer.snap7', 's7comm_read_szl.log'));
  const run = await runCaptures([ics('traces', 'snap7.pcap')]);
  try {
    const mine = run.log('s7comm').filter((r) => r.szl_id !== undefined);
    const fmt = (isOrig: string, ref: string, id: unknown, name: unknown, index: unknown): string => [isOrig, ref, id, name, index].join(' ');
    const theirs = want.map((w) => fmt(w.is_orig === 'T' ? 'true' : 'false', w.pdu_reference, w.szl_id, w.szl_id_name, w.szl_index));
    const ours = mine.map((r) => fmt(String(r.is_orig), swap16(r.pdu_reference), r.szl_id, r.szl_name, r.szl_index));
    // icsnpp logs no line for the 0x001C answer that snap7 splits over two user-data units
    // (references 2 and 3); wardline joins the units and logs the list on the last one.
    const extra = ours.filter((o) => !theirs.includes(o));
    assert.deepEqual(extra, ['false 2 0x001c Component Identification 0x0000', 'false 3 0x001c Component Identification 0x0000']);
    assert.deepEqual(ours.filter((o) => theirs.includes(o)), theirs);
  } finally {
    run.cleanup();
  }
});

test('the component identification split over two units is joined (values as Wireshark decodes them)', { skip }, async () => {
  // Expected values: `tshark -r snap7.pcap -Y frame.number==8 -V` (Wireshark 4.0 s7comm
  // dissector, "S7COMM reassembled id=213"): SZL 0x001c index 1..8.
  const run = await runCaptures([ics('traces', 'snap7.pcap')]);
  try {
    const id = run.log('s7comm').find((r) => r.plc_name !== undefined)!;
    assert.equal(id.plc_name, 'S7300/ET200M station_1');
    assert.equal(id.module_name, 'PLC_1');
    assert.equal(id.plant_id, undefined);
    assert.equal(id.copyright, 'Original Siemens Equipment');
    assert.equal(id.serial, 'S C-B1U393142011');
    assert.equal(id.module, 'CPU 315-2 PN/DP');
    assert.equal(id.memory_card_serial, 'MMC 4A1AC019');
    const sw = run.log('software');
    assert.deepEqual(sw.map((s) => s.unparsed_version).sort(), ['6ES7 315-2EH14-0AB0 V3.2.7', 'CPU 315-2 PN/DP']);
    assert.ok(sw.every((s) => s.host === '134.217.61.211'));
  } finally {
    run.cleanup();
  }
});

test("s7comm_plus.log matches icsnpp-s7comm's s7comm_plus.log", { skip }, async () => {
  const want = readZeekTsv(ics('baseline', 'analyzer.s7comm_plus', 's7comm_plus.log'));
  const run = await runCaptures([ics('traces', 's7comm_plus.pcap')]);
  try {
    const fmt = (r: Record<string, unknown>, isOrig: string, opcode: unknown, fcode: unknown, fn: unknown): string =>
      [tuple(r), isOrig, str(r.version), str(opcode), str(fcode), str(fn)].join(' ');
    const theirs = want.map((w) => fmt(w, w.is_orig === 'T' ? 'true' : 'false', `${w.opcode} ${w.opcode_name}`, w.function_code, w.function_name));
    const ours = run.log('s7comm_plus').map((r) => fmt(r, String(r.is_orig), `${r.opcode_code} ${r.opcode}`, r.function_code, r.function));
    assert.deepEqual(ours, theirs);
  } finally {
    run.cleanup();
  }
});

for (const dir of ['analyzer.snap7', 'analyzer.s7comm_plus']) {
  const trace = dir === 'analyzer.snap7' ? 'snap7.pcap' : 's7comm_plus.pcap';
  test(`conn.log service matches icsnpp-s7comm's ${dir}/conn.log`, { skip }, async () => {
    const want = readZeekTsv(ics('baseline', dir, 'conn.log'));
    const run = await runCaptures([ics('traces', trace)]);
    try {
      const got = run.conns.map((c) => `${origAddr(c)}:${c.oPort} > ${respAddr(c)}:${c.rPort} ${c.service || '-'}`);
      assert.deepEqual(got.sort(), want.map((w) => `${tuple(w)} ${w.service}`).sort());
    } finally {
      run.cleanup();
    }
  });
}

test("conn.log names nDPI's S7Comm and S7CommPlus flows", { skip }, async () => {
  for (const [pcap, proto, service] of [['s7comm.pcap', 'S7Comm', 'cotp,s7comm'], ['s7comm-plus.pcap', 'S7CommPlus', 'cotp,s7comm-plus']]) {
    const out = readFileSync(corpus('ndpi', 'result', `${pcap}.out`), 'utf8');
    const flows = [...out.matchAll(new RegExp(`TCP ([\\d.]+):(\\d+) <?-> ([\\d.]+):(\\d+) \\[proto: [\\d.]+/${proto}\\]`, 'g'))];
    assert.equal(flows.length, 1, pcap);
    const run = await runCaptures([corpus('ndpi', 'pcap', pcap)]);
    try {
      for (const f of flows) {
        const c = run.conns.find((x) => origAddr(x) === f[1] && x.oPort === Number(f[2]) && respAddr(x) === f[3] && x.rPort === Number(f[4]));
        assert.equal(c?.service, service, f[0]);
      }
    } finally {
      run.cleanup();
    }
  }
});

test('a PLC password request is decoded for the digest only and never logged (synthetic)', async () => {
  // Synthetic: no capture in the corpus sets a PLC password. User data, group 5 (security),
  // subfunction 1, data = the password obfuscated as S7 clients send it (b0^0x55, b1^0x55,
  // bi^0x55^b(i-2) over the sent octets).
  const pw = Buffer.from('hunter22');
  const sent: number[] = [];
  for (let i = 0; i < 8; i++) sent.push(i < 2 ? pw[i] ^ 0x55 : pw[i] ^ 0x55 ^ sent[i - 2]);
  const s7 = [0x32, 0x07, 0, 0, 0x01, 0x00, 0, 8, 0, 12, 0x00, 0x01, 0x12, 0x04, 0x11, 0x45, 0x01, 0x00, 0xff, 0x09, 0x00, 0x08, ...sent];
  const r = parseS7(Uint8Array.from(s7), 0, s7.length);
  assert.ok(r !== 'bad');
  assert.equal(r.function, 'Request: Security');
  assert.equal(r.subfunction, 'PLC Password');
  assert.equal(r.password, 'hunter22');
  const { S7COMM_LOGS } = await import('./log.js');
  const { LogRun } = await import('../logs.js');
  const { testConn } = await import('../../testutil/conn.js');
  const { PacketMeta } = await import('../../decode/packet.js');
  const ev = { ...r, type: 's7comm.message', is_orig: true, password_sent: true, secret: 'x', packet: 1 } as Record<string, unknown>;
  delete ev.password;
  const out = S7COMM_LOGS['s7comm.message'](ev as never, testConn(6, 40000, 102), new PacketMeta(), new LogRun());
  const text = JSON.stringify(out);
  assert.ok(!text.includes('hunter22'));
  assert.match(text, /"password":"<redacted>"/);
});
