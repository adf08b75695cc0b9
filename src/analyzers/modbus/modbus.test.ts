// Modbus/TCP against real captures: Zeek's modbus_message events for modbusSmall.pcap, Arkime's
// modbus session fields (function codes, exception codes, unit, transaction ids) for its
// modbus.pcap, nDPI's flow protocol for its modbus.pcap; plus probe and fuzz tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { origAddr, respAddr } from '../../flow/connlog.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { functionName, mbapFrameLength, parseAdu } from './parse.js';
import { probe } from './probe.js';
import type { ModbusMessage } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

// ADUs copied from the corpus captures (arkime/tests/pcap/modbus.pcap frames 8, 9, 32, 238).
const DIAG_REQ = hex('0000000000060a0800040000');
const DIAG_EXC = hex('0000000000030a880b');
const MEI_REQ = hex('0001000000060a2b0e030100');
const FC43_EXC = hex('00000000000301ab01');

test('parseAdu() reads the MBAP header, function and exception code', () => {
  assert.deepEqual(parseAdu(DIAG_REQ, 0, DIAG_REQ.length), { tid: 0, unit: 10, fc: 8 });
  assert.deepEqual(parseAdu(DIAG_EXC, 0, DIAG_EXC.length), { tid: 0, unit: 10, fc: 0x88, exception: 11 });
  assert.deepEqual(parseAdu(MEI_REQ, 0, MEI_REQ.length), { tid: 1, unit: 10, fc: 0x2b, mei: 0x0e });
});

test('functionName() follows Zeek: names, _EXCEPTION suffix, unknown-N', () => {
  assert.equal(functionName(0x88), 'DIAGNOSTICS_EXCEPTION');
  assert.equal(functionName(0x2b), 'ENCAP_INTERFACE_TRANSPORT');
  assert.equal(functionName(0), 'unknown-0');
  assert.equal(functionName(0xe4), 'unknown-228');
});

test('mbapFrameLength() rejects a non-zero protocol id', () => {
  // arkime modbus.pcap, 10.0.0.57:2585: not Modbus (Arkime does not call it modbus either).
  assert.equal(mbapFrameLength(hex('0001000088040507'), 0, 8), -2);
});

test('probe() recognises MBAP headers and rejects other protocols', () => {
  assert.equal(probe(DIAG_REQ, 0, DIAG_REQ.length), PROBE_YES);
  assert.equal(probe(FC43_EXC, 0, FC43_EXC.length), PROBE_YES);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length), PROBE_NO);
  assert.equal(probe(hex('0001000088040507'), 0, 8), PROBE_NO);
});

test('parseAdu() survives truncation and mutation of real ADUs', () => {
  fuzzParser([DIAG_REQ, DIAG_EXC, MEI_REQ, FC43_EXC], (b) => {
    parseAdu(b, 0, b.length);
    mbapFrameLength(b, 0, b.length);
    probe(b, 0, b.length);
  });
});

test("modbus events match Zeek's modbus_message output for modbusSmall.pcap", { skip }, async () => {
  // Lines: "<count> modbus_message, [orig_h=…, orig_p=55480/tcp, …], [tid=1, pid=0, uid=1, function_code=15, len=6], F"
  const want = new Map<string, number>();
  const base = readFileSync(corpus('zeek', 'baselines', 'scripts.base.protocols.modbus.coil_parsing_small', 'output'), 'utf8');
  for (const line of base.split('\n')) {
    const m = /^(\d+) modbus_message, .*orig_p=(\d+)\/tcp.*\[tid=(\d+), pid=\d+, uid=(\d+), function_code=(\d+), len=\d+\], ([TF])$/.exec(line);
    if (m === null) continue;
    const k = `${m[2]} tid=${m[3]} unit=${m[4]} fc=${m[5]} ${m[6]}`;
    want.set(k, (want.get(k) ?? 0) + Number(m[1]));
  }
  assert.ok(want.size >= 30, `parsed ${want.size} baseline lines`);
  const run = await runCaptures([corpus('zeek', 'traces', 'modbus', 'modbusSmall.pcap')]);
  try {
    const got = new Map<string, number>();
    const port = new Map(run.log('modbus').map((r) => [r.uid, r['id.orig_p']]));
    for (const { uid, ev } of run.result.events) {
      if (ev.type !== 'modbus.message') continue;
      const e = ev as ModbusMessage;
      const k = `${port.get(uid)} tid=${e.tid} unit=${e.unit} fc=${e.fc} ${e.is_orig ? 'T' : 'F'}`;
      got.set(k, (got.get(k) ?? 0) + 1);
    }
    assert.deepEqual([...got.entries()].sort(), [...want.entries()].sort());
    const lines = run.log('modbus');
    assert.equal(lines.length, [...want.values()].reduce((a, b) => a + b, 0));
    assert.deepEqual(Object.keys(lines[0]), ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'tid', 'unit', 'func', 'pdu_type']);
    const onPort = run.conns.filter((c) => c.rPort === 502);
    assert.equal(onPort.length, 16);
    for (const c of onPort) assert.equal(c.service, 'modbus', `conn ${c.oPort} > ${c.rPort}`);
    for (const c of run.conns) if (c.rPort !== 502) assert.notEqual(c.service, 'modbus');
  } finally {
    run.cleanup();
  }
});

interface ArkimeSession {
  body: {
    source?: { ip: string; port: number };
    destination?: { ip: string; port: number };
    protocol: string[];
    modbus?: { funccode?: (string | number)[]; exccode?: (string | number)[]; unitid?: number; transactionid?: (string | number)[] };
  };
}

test("modbus.log agrees with Arkime's modbus sessions in modbus.pcap", { skip }, async () => {
  const sessions = (JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'modbus.test'), 'utf8')) as { sessions3: ArkimeSession[] }).sessions3;
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'modbus.pcap')]);
  try {
    const lines = run.log('modbus');
    for (const s of sessions) {
      const b = s.body;
      const key = (r: Record<string, unknown>): boolean =>
        r['id.orig_h'] === b.source!.ip && r['id.orig_p'] === b.source!.port && r['id.resp_h'] === b.destination!.ip && r['id.resp_p'] === b.destination!.port;
      const mine = lines.filter(key);
      const what = `${b.source!.ip}:${b.source!.port} > ${b.destination!.ip}:${b.destination!.port}`;
      // Arkime folds an earlier SYN-only attempt on the same ports into the session; conn.log
      // keeps it apart, so any connection with the tuple may carry the service.
      const services = run.conns
        .filter((c) => origAddr(c) === b.source!.ip && c.oPort === b.source!.port && respAddr(c) === b.destination!.ip && c.rPort === b.destination!.port)
        .map((c) => c.service);
      if (!b.protocol.includes('modbus')) {
        assert.equal(mine.length, 0, `${what} is not Modbus for Arkime`);
        assert.ok(!services.includes('modbus'), what);
        continue;
      }
      assert.ok(services.includes('modbus'), what);
      const ids = new Set<number>();
      for (const { uid, ev } of run.result.events) {
        if (ev.type === 'modbus.message' && uid === mine[0]?.uid) ids.add((ev as ModbusMessage).fc);
      }
      const sorted = (a: Iterable<unknown>): string[] => [...new Set([...a].map(String))].sort();
      const fcs = sorted([...ids].map((fc) => fc & 0x7f));
      // Arkime records no function code for a session that only carries exception responses.
      if (b.modbus!.funccode !== undefined) assert.deepEqual(fcs, sorted(b.modbus!.funccode), `${what} function codes`);
      const exc = mine.filter((r) => r.exception !== undefined);
      const excCodes = new Set<number>();
      for (const { uid, ev } of run.result.events) {
        const e = ev as ModbusMessage;
        if (e.type === 'modbus.message' && uid === mine[0].uid && e.exception !== undefined) excCodes.add(e.exception);
      }
      assert.deepEqual(sorted(excCodes), sorted(b.modbus!.exccode ?? []), `${what} exception codes`);
      assert.equal(exc.length > 0, (b.modbus!.exccode ?? []).length > 0);
      assert.ok(mine.every((r) => r.unit === b.modbus!.unitid), `${what} unit id ${b.modbus!.unitid}`);
      if (b.modbus!.transactionid !== undefined) {
        assert.deepEqual(sorted(mine.map((r) => r.tid)), sorted(b.modbus!.transactionid), `${what} transaction ids`);
      }
    }
  } finally {
    run.cleanup();
  }
});

test("conn.log names nDPI's Modbus flow in its modbus.pcap", { skip }, async () => {
  const out = readFileSync(corpus('ndpi', 'result', 'modbus.pcap.out'), 'utf8');
  const flows = [...out.matchAll(/TCP ([\d.]+):(\d+) <?-> ([\d.]+):(\d+) \[proto: [\d.]+\/Modbus\]/g)];
  assert.equal(flows.length, 1);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'modbus.pcap')]);
  try {
    for (const f of flows) {
      const c = run.conns.find((x) => x.oPort === Number(f[2]) && x.rPort === Number(f[4]));
      assert.equal(c?.service, 'modbus');
    }
  } finally {
    run.cleanup();
  }
});

test('a capture with mismatched register counts (Zeek length_mismatch test) is analysed without failure', { skip }, async () => {
  const run = await runCaptures([corpus('zeek', 'traces', 'modbus', '4SICS-GeekLounge-151022-min.pcap')]);
  try {
    assert.equal(run.result.stats.analyzer_failures, 0);
    assert.ok(run.log('modbus').some((r) => r.func === 'READ_WRITE_MULTIPLE_REGISTERS'));
  } finally {
    run.cleanup();
  }
});

// Synthetic: a Read Device Identification exchange (function 0x2B, MEI 0x0E), built from the
// Modbus Application Protocol V1.1b3 §6.21 layout; the corpus has requests (arkime modbus.pcap
// frame 32) but no device answering one. Objects: VendorName, ProductCode, MajorMinorRevision,
// VendorUrl, ProductName, ModelName.
function deviceIdResponse(): Uint8Array {
  const objs: [number, string][] = [[0, 'Schneider Electric'], [1, 'BMX P34 2020'], [2, 'v2.70'], [3, 'www.se.com'], [4, 'Modicon M340'], [5, 'BMX P34 2020']];
  const body: number[] = [0x2b, 0x0e, 0x03, 0x83, 0x00, 0x00, objs.length];
  for (const [id, v] of objs) body.push(id, v.length, ...Buffer.from(v));
  return Uint8Array.from([0x00, 0x01, 0x00, 0x00, (body.length + 1) >> 8, (body.length + 1) & 0xff, 0x0a, ...body]);
}

test('parseAdu() reads Read Device Identification objects (synthetic)', () => {
  const b = deviceIdResponse();
  const r = parseAdu(b, 0, b.length);
  assert.ok(r !== 'bad');
  assert.equal(r.mei, 0x0e);
  assert.deepEqual(r.deviceId, {
    readCode: 3,
    conformity: 0x83,
    moreFollows: false,
    objects: { vendor_name: 'Schneider Electric', product_code: 'BMX P34 2020', revision: 'v2.70', vendor_url: 'www.se.com', product_name: 'Modicon M340', model_name: 'BMX P34 2020' },
  });
  // The request itself carries no objects.
  assert.equal(parseAdu(MEI_REQ, 0, MEI_REQ.length) !== 'bad' && (parseAdu(MEI_REQ, 0, MEI_REQ.length) as { deviceId?: unknown }).deviceId, undefined);
});

test('Read Device Identification survives truncation and mutation (synthetic seed)', () => {
  fuzzParser([deviceIdResponse()], (b) => {
    parseAdu(b, 0, b.length);
  });
});

test('a device answering Read Device Identification on port 5020 (generated with pymodbus)', async () => {
  // test/fixtures/generated/README.md: the capture, its commands and pymodbus's own decode.
  const run = await runCaptures([`${REPO_ROOT}/test/fixtures/generated/generated-modbus-device-id.pcap`]);
  try {
    assert.deepEqual(run.conns.map((c) => `${c.rPort} ${c.service}`), ['5020 modbus']);
    const ids = run.log('modbus').filter((r) => r.device_id !== undefined).map((r) => r.device_id as Record<string, unknown>);
    assert.equal(ids.length, 2);
    assert.deepEqual([ids[0].vendor_name, ids[0].product_code, ids[0].revision, ids[0].read_code], ['Pymodbus', 'PM', '3.0.0', 1]);
    assert.deepEqual(
      [ids[1].vendor_name, ids[1].product_code, ids[1].revision, ids[1].vendor_url, ids[1].product_name, ids[1].model_name, ids[1].read_code],
      ['Pymodbus', 'PM', '3.0.0', 'https://github.com/riptideio/pymodbus/', 'Pymodbus Server', 'Pymodbus Server', 2],
    );
    assert.deepEqual(run.log('modbus').map((r) => r.func), ['READ_HOLDING_REGISTERS', 'READ_HOLDING_REGISTERS', 'ENCAP_INTERFACE_TRANSPORT', 'ENCAP_INTERFACE_TRANSPORT', 'ENCAP_INTERFACE_TRANSPORT', 'ENCAP_INTERFACE_TRANSPORT']);
    const sw = run.log('software');
    assert.deepEqual(sw.map((s) => s.unparsed_version), ['Pymodbus PM 3.0.0', 'Pymodbus Pymodbus Server 3.0.0']);
  } finally {
    run.cleanup();
  }
});
