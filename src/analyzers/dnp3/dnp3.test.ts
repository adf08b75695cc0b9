// DNP3 against real captures: every Zeek dnp3.log baseline (scripts.base.protocols.dnp3.*, traces
// from trace_baseline_index.json) field by field, nDPI's DNP3 flow labels (result/dnp3.pcap.out),
// and frames copied from those captures for the parser, probe, chunking, CRC and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { movedUdpRead } from './dnp3.testutil.js';
import { FakeContext, captureStreams } from '../streams.testutil.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { Dnp3Analyzer } from './analyzer.js';
import { MAX_FRAGMENT, crc16, frameLength, functionName, isCommand, parseFragment, parseFrame } from './parse.js';
import { probe } from './probe.js';
import type { Dnp3Transaction } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const ZEEK = (f: string): string => corpus('zeek', 'traces', 'dnp3', f);

// Frames copied from Zeek's dnp3.pcap (tshark frame numbers), flow 192.168.66.33:1167.
const SELECT_REQ = hex('05641ac404000300c2e6d2c3030c012801009f86030164000000ec416400000000005b'); // frame 185
const SELECT_RESP = hex('05641c440300040064bdf9c38100040c012801009f8603016400ed30000064000000047882'); // frame 186
const READ_CLASS = hex('056411c4040003004eefd1c2013c02063c03063c0406402c'); // frame 182
const UNSOL = hex('05640a44030004007caed6fd8201006046'); // frame 152 (flow :1159), IIN 0x0100
const LINK_STATUS = hex('05640500204e0a00ce08'); // arkime dnp3_synthetic.pcap frame 19: a link-only frame

test('frameLength() checks start octets, length and the header CRC', () => {
  assert.equal(frameLength(SELECT_REQ, 0, SELECT_REQ.length), SELECT_REQ.length);
  assert.equal(frameLength(UNSOL, 0, UNSOL.length), 17);
  assert.equal(frameLength(LINK_STATUS, 0, LINK_STATUS.length), 10);
  assert.equal(frameLength(SELECT_REQ, 0, 9), 0);
  const bad = SELECT_REQ.slice();
  bad[5] ^= 1;
  assert.equal(frameLength(bad, 0, bad.length), -2);
  assert.equal(frameLength(hex('0565'), 0, 2), -1);
  assert.equal(frameLength(hex('056404'), 0, 3), -1);
  // The CRC of the eight header octets, stored little-endian after them.
  assert.equal(crc16(SELECT_REQ, 0, 8), 0xe6c2);
});

test('parseFrame() strips the block CRCs and names the link addresses', () => {
  const f = parseFrame(SELECT_REQ, 0, SELECT_REQ.length);
  assert.ok(f !== 'bad' && f !== 'bad_crc');
  assert.deepEqual([f.ctrl, f.dest, f.src, f.data.length], [0xc4, 4, 3, 21]);
  const bad = SELECT_REQ.slice();
  bad[12] ^= 0x40;
  assert.equal(parseFrame(bad, 0, bad.length), 'bad_crc');
});

test('parseFragment() reads request and response headers, IIN and object headers (tshark agrees)', () => {
  const req = parseFrame(SELECT_REQ, 0, SELECT_REQ.length);
  assert.ok(req !== 'bad' && req !== 'bad_crc');
  const a = parseFragment(req.data, 1, req.data.length - 1, false);
  // tshark: App Ctrl 0xc3, SELECT, Object g12v1 (CROB), qualifier 0x28 (2-octet index prefix, 1-octet count)
  assert.deepEqual(a, { control: 0xc3, fc: 3, objects: [{ group: 12, variation: 1, qualifier: 0x28, count: 1 }], partial: false });
  const resp = parseFrame(SELECT_RESP, 0, SELECT_RESP.length);
  assert.ok(resp !== 'bad' && resp !== 'bad_crc');
  const b = parseFragment(resp.data, 1, resp.data.length - 1, true);
  assert.ok(b !== 'bad');
  assert.deepEqual([b.fc, b.iin, b.objects.map((o) => `g${o.group}v${o.variation}`), b.partial], [0x81, 0x0004, ['g12v1'], false]);
  const read = parseFrame(READ_CLASS, 0, READ_CLASS.length);
  assert.ok(read !== 'bad' && read !== 'bad_crc');
  const c = parseFragment(read.data, 1, read.data.length - 1, false);
  assert.ok(c !== 'bad');
  assert.deepEqual(c.objects.map((o) => [o.group, o.variation, o.qualifier]), [[60, 2, 6], [60, 3, 6], [60, 4, 6]]);
  assert.equal(parseFragment(hex('c0'), 0, 1, false), 'bad');
  assert.equal(parseFragment(hex('c08100'), 0, 3, true), 'bad');
});

test("functionName() uses Zeek's names; isCommand() marks the requests that operate an outstation", () => {
  assert.deepEqual([0, 1, 3, 4, 5, 0x0d, 0x19, 0x81, 0x82, 0x40].map(functionName), [
    'CONFIRM', 'READ', 'SELECT', 'OPERATE', 'DIRECT_OPERATE', 'COLD_RESTART', 'OPEN_FILE', 'RESPONSE', 'UNSOLICITED_RESPONSE', 'unknown-64',
  ]);
  for (const fc of [2, 3, 4, 5, 6, 0x0d, 0x0e, 0x12, 0x14, 0x15, 0x19, 0x1a, 0x1b]) assert.ok(isCommand(fc), functionName(fc));
  for (const fc of [0, 1, 0x17, 0x18, 0x1c, 0x20, 0x81, 0x82]) assert.ok(!isCommand(fc), functionName(fc));
});

test('probe() is certain of a frame with a good header CRC, and rejects others', () => {
  assert.equal(probe(SELECT_REQ, 0, SELECT_REQ.length), PROBE_CERTAIN);
  assert.equal(probe(UNSOL, 0, UNSOL.length), PROBE_CERTAIN);
  assert.equal(probe(SELECT_REQ, 0, 6), PROBE_MAYBE);
  const bad = UNSOL.slice();
  bad[3] ^= 0x10;
  assert.equal(probe(bad, 0, bad.length), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length), PROBE_NO);
  assert.equal(probe(hex('680407000000'), 0, 6), PROBE_NO);
});

test('a corrupt data block CRC is a weird and drops the fragment; a corrupt header is skipped', () => {
  const ctx = new FakeContext(1167, 20000);
  const a = new Dnp3Analyzer('dnp3_tcp');
  const bad = SELECT_REQ.slice();
  bad[12] ^= 0x40;
  a.data(ctx, true, bad, 0, bad.length);
  a.data(ctx, false, SELECT_RESP, 0, SELECT_RESP.length);
  const hdr = SELECT_REQ.slice();
  hdr[4] ^= 1;
  a.data(ctx, true, hdr, 0, hdr.length);
  a.data(ctx, true, READ_CLASS, 0, READ_CLASS.length);
  a.end(ctx);
  assert.ok(ctx.weirds.includes('dnp3.corrupt_app_chunk_checksum'));
  assert.ok(ctx.weirds.includes('dnp3.corrupt_header_checksum'));
  const ev = ctx.events as Dnp3Transaction[];
  // The SELECT was lost: its response stands alone; the READ after the damaged frame is found.
  assert.deepEqual(ev.map((e) => [e.fc_request, e.fc_reply]), [[undefined, 0x81], [1, undefined]]);
  assert.deepEqual(ctx.services, ['dnp3_tcp']);
});

/** A link frame from the master carrying `data` (one transport octet + application octets). Synthetic. */
function buildFrame(data: Uint8Array): Uint8Array {
  const out: number[] = [0x05, 0x64, data.length + 5, 0xc4, 4, 0, 3, 0];
  const h = crc16(Uint8Array.from(out), 0, 8);
  out.push(h & 0xff, h >>> 8);
  for (let p = 0; p < data.length; p += 16) {
    const b = data.subarray(p, Math.min(p + 16, data.length));
    out.push(...b);
    const c = crc16(b, 0, b.length);
    out.push(c & 0xff, c >>> 8);
  }
  return Uint8Array.from(out);
}

test('reassembly is bounded at 2048 octets and needs FIR and the transport sequence (synthetic segments)', () => {
  // No capture holds an oversized fragment or lost segments: frames built here, CRCs computed.
  const seg = (th: number, n: number): Uint8Array => {
    const d = new Uint8Array(n + 1);
    d[0] = th;
    d[1] = 0xc0;
    d[2] = 0x02;
    return buildFrame(d);
  };
  const ctx = new FakeContext(1, 20000);
  const a = new Dnp3Analyzer('dnp3_tcp');
  const FIR = 0x40;
  const FIN = 0x80;
  let sent = 0;
  let seq = 0;
  const first = seg(FIR | seq++, 249);
  a.data(ctx, true, first, 0, first.length);
  sent += 249;
  while (sent <= MAX_FRAGMENT) {
    const f = seg(seq++ & 0x3f, 249);
    a.data(ctx, true, f, 0, f.length);
    sent += 249;
  }
  assert.ok(ctx.weirds.includes('dnp3.fragment_too_large'));
  const cont = seg(FIN | 5, 10);
  a.data(ctx, true, cont, 0, cont.length);
  assert.ok(ctx.weirds.includes('dnp3.first_application_layer_chunk_missing'));
  const s0 = seg(FIR | 7, 10);
  const s2 = seg(FIN | 9, 10);
  a.data(ctx, true, s0, 0, s0.length);
  a.data(ctx, true, s2, 0, s2.length);
  assert.ok(ctx.weirds.includes('dnp3.transport_sequence'));
  a.end(ctx);
  assert.equal(ctx.events.length, 0);
});

test('parsers survive truncation and mutation of real frames', () => {
  fuzzParser([SELECT_REQ, SELECT_RESP, READ_CLASS, UNSOL, Uint8Array.from([...READ_CLASS, ...UNSOL])], (b) => {
    frameLength(b, 0, b.length);
    parseFrame(b, 0, b.length);
    parseFragment(b, 0, b.length, false);
    parseFragment(b, 0, b.length, true);
    probe(b, 0, b.length);
    const ctx = new FakeContext(1, 20000);
    const a = new Dnp3Analyzer('dnp3_tcp');
    a.data(ctx, true, b, 0, b.length);
    a.data(ctx, false, b, 0, b.length);
    a.gap(ctx, true);
    a.data(ctx, true, b, 0, b.length);
    a.end(ctx);
  });
});

test('fed a byte at a time, the analyzer finds the same transactions in every flow of dnp3.pcap', { skip }, async () => {
  for (const s of await captureStreams(ZEEK('dnp3.pcap'))) {
    const run = (size: number): unknown[] => {
      const ctx = new FakeContext(s.oPort, s.rPort);
      const a = new Dnp3Analyzer('dnp3_tcp');
      for (const c of s.chunks) for (let p = 0; p < c.bytes.length; p += size) a.data(ctx, c.isOrig, c.bytes, p, Math.min(size, c.bytes.length - p));
      a.end(ctx);
      return ctx.events.map((e) => [e.fc_request, e.fc_reply, e.iin, e.objects]);
    };
    const whole = run(1 << 20);
    assert.ok(whole.length > 0, String(s.oPort));
    assert.deepEqual(run(1), whole, String(s.oPort));
  }
});

const zeekDnp3 = skip ? [] : zeekBaselines('dnp3.log');

test('all five Zeek dnp3.log baselines are found', { skip }, () => {
  assert.equal(zeekDnp3.length, 5);
});

for (const { trace, baseline } of zeekDnp3) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`dnp3.log matches Zeek's ${name} line by line, field by field`, { skip: !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const got = run.log('dnp3');
      const fields = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'fc_request', 'fc_reply', 'iin'] as const;
      const row = (r: Record<string, unknown>): string => fields.map((f) => (r[f] === undefined ? '-' : String(r[f]))).join(' ');
      // Zeek writes a connection's lines as they complete, connections interleaved in time; compare per connection.
      const key = (r: Record<string, unknown>): string => `${r['id.orig_h']}:${r['id.orig_p']}`;
      const group = (rs: Record<string, unknown>[]): Map<string, string[]> => {
        const m = new Map<string, string[]>();
        for (const r of rs) m.set(key(r), [...(m.get(key(r)) ?? []), row(r)]);
        return m;
      };
      assert.deepEqual([...group(got).entries()].sort(), [...group(want).entries()].sort());
      assert.equal(run.result.stats.analyzer_failures, 0);
      const svc = trace.includes('udp') ? 'dnp3_udp' : 'dnp3_tcp';
      assert.ok(run.conns.length > 0 && run.conns.every((c) => c.service === svc), `conn.log service ${svc}`);
    } finally {
      run.cleanup();
    }
  });
}

test('dnp3.log marks SELECT/OPERATE, file transfer and restarts as commands and names their objects', { skip }, async () => {
  const run = await runCaptures([ZEEK('dnp3_select_operate.pcap'), ZEEK('dnp3_file_read.pcap'), ZEEK('dnp3.pcap')]);
  try {
    const lines = run.log('dnp3');
    const so = lines.filter((l) => l['id.orig_p'] === 49404);
    // tshark: frames 4 and 7 are SELECT and OPERATE of one g12v1 CROB (index prefix 0x28).
    assert.deepEqual(so.map((l) => [l.fc_request, l.objects, l.command]), [['SELECT', ['g12v1'], true], ['OPERATE', ['g12v1'], true]]);
    assert.deepEqual(Object.keys(so[0]), ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'fc_request', 'fc_reply', 'iin', 'objects', 'command']);
    const file = lines.filter((l) => l['id.orig_p'] === 50276);
    // tshark: OPEN_FILE g70v3, READ g70v5 (file transport), CLOSE_FILE g70v4.
    assert.deepEqual(file.map((l) => [l.fc_request, (l.objects as string[])[0], l.command ?? false]), [
      ['OPEN_FILE', 'g70v3', true], ['READ', 'g70v5', false], ['WRITE', 'g50v1', true], ['WRITE', 'g50v1', true], ['CLOSE_FILE', 'g70v4', true],
    ]);
    const cmds = new Set(lines.filter((l) => l.command === true).map((l) => l.fc_request));
    for (const fc of ['COLD_RESTART', 'WARM_RESTART', 'ENABLE_UNSOLICITED', 'DISABLE_UNSOLICITED', 'STOP_APPL', 'WRITE', 'SELECT']) assert.ok(cmds.has(fc), fc);
    assert.ok(lines.every((l) => l.command === undefined || (l.fc_request !== 'READ' && l.fc_request !== 'CONFIRM')));
  } finally {
    run.cleanup();
  }
});

test("every flow nDPI labels DNP3 is conn.log service dnp3_tcp, and no other is", { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi', 'result', 'dnp3.pcap.out')).filter((f) => f.app === 'DNP3');
  assert.equal(flows.length, 8);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'dnp3.pcap')]);
  try {
    for (const f of flows) {
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort);
      assert.equal(c?.service, 'dnp3_tcp', `${f.a}:${f.aPort}`);
    }
    assert.equal(run.conns.filter((c) => c.service === 'dnp3_tcp').length, flows.length);
  } finally {
    run.cleanup();
  }
});

test('off port 20000 the probe still finds DNP3: the real UDP read moved to port 47000', { skip }, async () => {
  const run = await runCaptures([await movedUdpRead()]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['dnp3_udp']);
    assert.deepEqual(run.log('dnp3').map((l) => l.fc_reply), ['RESPONSE', 'RESPONSE']);
  } finally {
    run.cleanup();
  }
});

test('dnp3.log holds no secrets: the DNP3 captures carry no credentials (no Secure Authentication keys)', { skip }, async () => {
  const run = await runCaptures([ZEEK('dnp3.pcap'), ZEEK('dnp3_file_read.pcap')]);
  try {
    const text = JSON.stringify(run.log('dnp3'));
    assert.ok(!/password|secret|key/i.test(text));
    assert.equal(run.result.events.filter((e) => e.ev.type === 'credential').length, 0);
  } finally {
    run.cleanup();
  }
});
