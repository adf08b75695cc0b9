// HL7/MLLP analyzer tests on real captures: tapirx's ORM and ORU exchanges (expectations from
// the corpus README, tshark's HL7 dissector — `tshark -r HL7-ORU.pcap -Y hl7 -T fields -e
// hl7.message.type -e hl7.event.type` gives "ORU R01" and "ACK" — and the MSH text in the
// capture), and a loopback capture of python3-hl7's MLLP client and server (fixtures/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT, runCaptures, type RunOutput } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { Hl7Analyzer } from './analyzer.js';
import { parseFrame, parseMessage } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const ORM = corpus('tapirx', 'HL7-ORM.pcap');
const ORU = corpus('tapirx', 'HL7-ORU.pcap');
const GENERATED = join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures', 'generated-hl7-mllp.pcap');
const BATCH = join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures', 'generated-hl7-batch.pcap');
/** Patient values in the PID/NK1/PV1 segments of the captures. */
const TAPIRX_PHI = ['MOUSE', 'MICKEY', 'MINNIE', '19281118', '19240101', '123 Main St', 'MOUSEHOLE', 'Lake Buena Vista', 'FORT WAYNE'];
const GENERATED_PHI = ['ZZHLSEVEN', 'TESTPATIENT', 'TESTRELATIVE', 'WLMRN445566', 'Test Road', 'Testville'];

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

test('tapirx ORM and ORU exchanges give MSH fields, the ACK and the patient segments present', { skip }, async () => {
  const run = await runCaptures([ORM, ORU]);
  try {
    const log = run.log('hl7');
    const got = log.map((r) => [r.is_orig, r.message_type, r.control_id, r.ack_code ?? '', r.ack_control_id ?? '', (r.phi_segments as string[] | undefined)?.join(',') ?? '']);
    assert.deepEqual(got, [
      [true, 'ORM^O01', '59689', '', '', 'PID,PV1'],
      [false, 'ACK', '20180129192807.774', 'AA', '59689', ''],
      [true, 'ORU^R01', '59689', '', '', 'PID,PV1'],
      [false, 'ACK', '20180129192911.446', 'AA', '59689', ''],
    ]);
    for (const r of log) {
      const fromClient = r.is_orig === true;
      assert.equal(r.sending_application, fromClient ? 'SendingApp' : 'ReceivingApp');
      assert.equal(r.sending_facility, fromClient ? 'SendingFac' : 'ReceivingFac');
      assert.equal(r.receiving_application, fromClient ? 'ReceivingApp' : 'SendingApp');
      assert.equal(r.receiving_facility, fromClient ? 'ReceivingFac' : 'SendingFac');
      assert.equal(r.version, '2.3');
      assert.equal(r.processing_id, 'P');
    }
    // The ORU message spans two TCP segments (1460 + 319 bytes): 19 segments once reassembled.
    assert.equal(log[2].segments, 19);
    assert.deepEqual(run.conns.map((c) => c.service), ['hl7', 'hl7']);
  } finally {
    run.cleanup();
  }
});

test('HL7 over HTTP: the POSTed ORU and its acknowledgement are read as over MLLP (generated: curl to a python3-hl7 listener)', async () => {
  // test/fixtures/generated/README.md: tapirx's ORU^R01 (the same message as above) POSTed as
  // x-application/hl7-v2+er7; python3-hl7's create_ack() answered MSA|AA|59689 from HL7Listener/Lab.
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hl7-http.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['http,hl7']);
    const log = run.log('hl7');
    assert.deepEqual(
      log.map((r) => [r.is_orig, r.message_type, r.control_id, r.sending_application, r.ack_code ?? '', r.ack_control_id ?? '', (r.phi_segments as string[] | undefined)?.join(',') ?? '', r.segments, r.transport]),
      [
        [true, 'ORU^R01', '59689', 'SendingApp', '', '', 'PID,PV1', 19, 'http'],
        [false, 'ACK^R01', '6333114640588610S8VP', 'HL7Listener', 'AA', '59689', '', 2, 'http'],
      ],
    );
    assert.equal(run.log('http')[0].method, 'POST');
  } finally {
    run.cleanup();
  }
});

test('HL7 over HTTP: a POSTed batch gives each of its messages with its batch id (generated: curl to a python3-hl7 listener)', async () => {
  // tshark's reading of the two bodies (hl7http/batch.tshark.tsv: frame, content type, body with
  // its segments separated by a literal \r): the batch at packet 4, the ACK at packet 8.
  const rows = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'hl7http', 'batch.tshark.tsv'), 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
  const segs = (body: string): string[][] => body.split('\\r').filter((x) => x !== '').map((x) => x.split('|'));
  const post = segs(rows[0][2]);
  const bhs = post.find((x) => x[0] === 'BHS')!;
  // MSH, BHS: split part i is field i + 1 (field 1 is the separator itself); MSA: part i is MSA-i.
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hl7-http-batch.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['http,hl7']);
    const log = run.log('hl7');
    assert.deepEqual(
      log.filter((r) => r.is_orig === true).map((r) => [r.is_orig, r.message_type, r.control_id, r.batch_id, r.transport]),
      post.filter((x) => x[0] === 'MSH').map((m) => [true, m[8].split('^').slice(0, 2).join('^'), m[9], bhs[10], 'http']),
    );
    const ack = segs(rows[1][2]);
    assert.deepEqual(
      log.filter((r) => r.is_orig === false).map((r) => [r.message_type, r.ack_code, r.ack_control_id, r.batch_id]),
      [[ack[0][8].split('^').slice(0, 2).join('^'), ack[1][1], ack[1][2], undefined]],
    );
    assert.deepEqual(Object.keys(run.result.weirds), []);
  } finally {
    run.cleanup();
  }
});

test('HL7 over HTTP as text/plain (interface engines\' listeners): read when the body starts with MSH, not otherwise (generated)', async () => {
  // test/fixtures/generated/README.md: the same ORU^R01 POSTed as text/plain and answered with its
  // ACK, then "hello, not HL7" POSTed as text/plain and refused with 400.
  const run = await runCaptures([join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hl7-http-text.pcap')]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['http,hl7', 'http']);
    assert.deepEqual(run.log('hl7').map((r) => [r.is_orig, r.message_type, r.transport]), [
      [true, 'ORU^R01', 'http'],
      [false, 'ACK^R01', 'http'],
    ]);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('python3-hl7 exchanges give trigger events, AE acknowledgements and device identifiers', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const log = run.log('hl7');
    const got = log.map((r) => [r['id.resp_p'], r.message_type, r.ack_code ?? '', (r.phi_segments as string[] | undefined)?.join(',') ?? '']);
    assert.deepEqual(got, [
      [2575, 'ADT^A01', '', 'PID,NK1,PV1'],
      [2575, 'ACK^A01', 'AA', ''],
      [2575, 'ORU^R01', '', 'PID'],
      [2575, 'ACK^R01', 'AA', ''],
      // Port 30575 is no HL7 port: found by the probe. server.py answers AE to "...ERR" ids.
      [30575, 'ADT^A08', '', 'PID,PV1'],
      [30575, 'ACK^A08', 'AE', ''],
    ]);
    // oru-r01-udi.hl7: OBX-18 equipment instance, PRT-10 UDI, PRT-16 device identifier.
    assert.deepEqual(log[2].device_ids, ['PUMP-SN-00417^ACME^1.2.3.4^ISO', '(01)00812345678906(21)SN12345^^2.16.840.1.113883.3.3719^ISO', 'DEVID-778^ACME']);
    assert.equal(log[2].version, '2.8');
    for (const c of run.conns) assert.equal(c.service, 'hl7');
  } finally {
    run.cleanup();
  }
});

const HL7_HTTP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-hl7-http.pcap');

/** tshark's HL7 tree (-V -O hl7) of each frame: its segments in order, each a map from tshark's field number to value. */
function tsharkHl7(path: string): Map<number, { id: string; fields: Map<number, string> }[]> {
  const frames = new Map<number, { id: string; fields: Map<number, string> }[]>();
  let cur: { id: string; fields: Map<number, string> }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const fr = /^Frame (\d+):/.exec(line);
    if (fr !== null) frames.set(Number(fr[1]), (cur = []));
    const seg = /^ {4}([A-Z][A-Z0-9]{2}) \(/.exec(line);
    if (seg !== null) cur.push({ id: seg[1], fields: new Map() });
    const f = /^ {8}field (\d+): (.*)$/.exec(line);
    if (f !== null) cur[cur.length - 1].fields.set(Number(f[1]), f[2]);
  }
  return frames;
}

test('a batch (FHS, BHS, messages, BTS, FTS in one MLLP block) gives each of its messages, with its batch id (generated: python3-hl7 mllp_send)', async () => {
  const dir = join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures');
  const frames = tsharkHl7(join(dir, 'generated-hl7-batch.tshark.txt'));
  // tshark: frame 4 holds FHS, BHS, MSH … MSH …, BTS; frame 6 the acknowledgement. The block
  // ends with the file trailer FTS, which tshark 4.0 does not list: mllp_send strips the CR that
  // ends the last segment, so "FTS|1" runs into the end-of-block byte.
  const batch = frames.get(4)!;
  assert.deepEqual(batch.map((s) => s.id), ['FHS', 'BHS', 'MSH', 'PID', 'OBR', 'OBX', 'MSH', 'PID', 'OBR', 'OBX', 'BTS']);
  assert.ok(readFileSync(BATCH).toString('latin1').includes('\rFTS|1\x1c\r'));
  const bhs = batch.find((s) => s.id === 'BHS')!;
  // For MSH, BHS and FHS tshark's field n is HL7's field n (field 1 is the separator); for the
  // other segments tshark counts the segment name as field 1, so OBX-18 is its field 19.
  const want: unknown[][] = [];
  for (let i = 0; i < batch.length; i++) {
    if (batch[i].id !== 'MSH') continue;
    const m = batch[i].fields;
    const rest = batch.slice(i + 1, batch.findIndex((s, k) => k > i && ['MSH', 'BTS'].includes(s.id)));
    const obx = rest.find((s) => s.id === 'OBX')!;
    want.push([true, m.get(3), m.get(4), m.get(5), m.get(6), m.get(9)!.split('^').slice(0, 2).join('^'), m.get(10), m.get(12), [obx.fields.get(19)], rest.filter((s) => s.id === 'PID').map((s) => s.id), rest.length + 1, bhs.fields.get(11)]);
  }
  const ack = frames.get(6)!;
  const msh = ack.find((s) => s.id === 'MSH')!.fields;
  const msa = ack.find((s) => s.id === 'MSA')!.fields;
  const run = await runCaptures([BATCH]);
  try {
    const log = run.log('hl7');
    const got = log.filter((r) => r.is_orig === true).map((r) => [r.is_orig, r.sending_application, r.sending_facility, r.receiving_application, r.receiving_facility, r.message_type, r.control_id, r.version, r.device_ids, r.phi_segments, r.segments, r.batch_id]);
    assert.deepEqual(got, want);
    const back = log.filter((r) => r.is_orig === false);
    assert.deepEqual(back.map((r) => [r.message_type, r.ack_code, r.ack_control_id, r.batch_id]), [[msh.get(9)!.split('^').slice(0, 2).join('^'), msa.get(2), msa.get(3), undefined]]);
    assert.deepEqual(Object.keys(run.result.weirds), []);
    // The patient values of both PIDs appear nowhere.
    const out = allOutput(run);
    for (const pid of batch.filter((s) => s.id === 'PID')) for (const n of [4, 6, 8]) assert.ok(!out.includes(pid.fields.get(n)!), `PID field ${n} leaked`);
  } finally {
    run.cleanup();
  }
});

test('no patient value from PID, NK1 or PV1 appears in any log or event', { skip }, async () => {
  const cases: [string, string[]][] = [
    [ORM, TAPIRX_PHI.slice(0, 2).concat(['19281118', '123 Main St'])],
    [ORU, ['MINNIE', '19240101', 'MOUSEHOLE']],
    [GENERATED, GENERATED_PHI],
    [HL7_HTTP, ['MINNIE', '19240101', 'MOUSEHOLE']],
  ];
  for (const [file, values] of cases) {
    const raw = readFileSync(file).toString('latin1');
    for (const v of values) assert.ok(raw.includes(v), `${file} carries ${v}`);
  }
  const run = await runCaptures([ORM, ORU, GENERATED, HL7_HTTP]);
  try {
    const out = allOutput(run);
    for (const v of [...TAPIRX_PHI, ...GENERATED_PHI]) assert.ok(!out.includes(v), `${v} leaked into the output`);
  } finally {
    run.cleanup();
  }
});

test('probe() takes an MLLP-framed MSH from either side and nothing else', { skip }, async () => {
  const [f] = await flowBytes(ORM);
  const msg = f.stream(true);
  assert.equal(probe(msg, 0, msg.length), PROBE_YES);
  const ack = f.stream(false);
  assert.equal(probe(ack, 0, ack.length), PROBE_YES);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length), PROBE_NO);
  const vt = Uint8Array.from([0x0b, 0x41, 0x42, 0x43, 0x7c]);
  assert.equal(probe(vt, 0, vt.length), PROBE_NO);
});

test('a message split at every byte boundary parses the same', { skip }, async () => {
  const [f] = await flowBytes(ORU);
  const whole = feedAnalyzer(new Hl7Analyzer(), f.chunks).events;
  const bytes = f.stream(true);
  const split = feedAnalyzer(new Hl7Analyzer(), Array.from(bytes, (b) => ({ isOrig: true, bytes: Uint8Array.of(b) }))).events;
  assert.deepEqual(
    split.map((e) => e.message_type),
    whole.filter((e) => e.is_orig).map((e) => e.message_type),
  );
  assert.equal(split[0].segments, 19);
});

test('a gap ends the damaged message, read as truncated as far as it came, and the next one is read', { skip }, async () => {
  const [a] = await flowBytes(ORM);
  const [b] = await flowBytes(ORU);
  const out = feedAnalyzer(new Hl7Analyzer(), [
    { isOrig: true, bytes: b.chunks[0].bytes },
    { isOrig: true, bytes: new Uint8Array(0), gap: 319 },
    { isOrig: true, bytes: a.stream(true) },
  ]);
  // The ORU's first 1,460 bytes hold its header: it is reported, marked truncated.
  assert.deepEqual(out.events.map((e) => [e.message_type, e.truncated]), [['ORU^R01', true], ['ORM^O01', false]]);
  assert.ok(out.weirds.includes('hl7.content_gap'));
});

test('parseMessage() and the analyzer survive truncation and mutation of real messages', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const p of [ORM, ORU, GENERATED, BATCH]) for (const f of await flowBytes(p)) for (const o of [true, false]) seeds.push(f.stream(o));
  fuzzParser(seeds, (b) => {
    parseMessage(b, 1, Math.max(0, b.length - 1));
    parseFrame(b, 1, Math.max(0, b.length - 1), 4);
    feedAnalyzer(new Hl7Analyzer(), [{ isOrig: true, bytes: b }]);
  }, { mutations: 150 });
});
