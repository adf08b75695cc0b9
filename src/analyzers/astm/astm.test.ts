// ASTM E1381/E1394 (CLSI LIS01-A2/LIS02-A2) analyzer tests. SYNTHETIC INPUT: no capture of the
// corpus carries ASTM, and Debian packages no implementation of it, so fixtures/generated-astm.pcap
// was recorded on loopback from fixtures/astm_peers.py, an instrument and an LIS written from the
// standards with their framing, checksums and acknowledgements, whose message text follows
// published examples (fixtures/README.md). Expectations are the text astm_peers.py sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures, type RunOutput } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { runInventory } from '../../inventory/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { AstmAnalyzer } from './analyzer.js';
import { frameChecksum, headerDelimiters, parseHeader, patientFields, testId } from './parse.js';
import { probe } from './probe.js';

const GENERATED = join(REPO_ROOT, 'src', 'analyzers', 'astm', 'fixtures', 'generated-astm.pcap');
/** Patient values and the access password in the generated capture. */
const SECRETS = ['ZZTESTPID01', 'Testperson', 'Maidenname', '19700102', 'PHY0001', 'Ward7', 'ZZTESTPID02', '19811224', 'ZZTESTPID03', '19900315', 'ZZTESTPID04', '20001004', 'Dr.Test', 'Pw-Chem#2026', 'NID0001'];

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

test('framed and unframed transfers give one record per message with what the headers and records state', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const log = run.log('astm');
    const got = log.map((r) => [r['id.resp_p'], r.is_orig, r.framing, r.sender_id, r.processing_id ?? '', r.version, (r.record_types as string[]).join(''), r.patients, r.orders, r.results, r.queries ?? 0, r.terminated]);
    assert.deepEqual(got, [
      [5000, true, 'lis01', 'OCD^VISION^5.13.1.46935^J60009999', 'P', 'LIS2-A', 'HPORCL', 1, 1, 2, 0, true],
      [5000, true, 'lis01', 'cobas c 311^1.0.0^1234-56', 'P', '1394-97', 'HPORL', 1, 1, 10, 0, true],
      [5000, true, 'lis01', 'OCD^VISION^5.13.1.46935^J60009999', 'P', 'LIS2-A', 'HQL', 0, 0, 0, 1, true],
      // The LIS answers the host query on the same connection, as the sender now.
      [5000, false, 'lis01', 'WARDLINE-LIS^1.0', 'P', 'LIS2-A', 'HPOL', 1, 1, 0, 0, true],
      // Port 15200 is no port of anything: found by the probe; records sent without framing.
      [15200, true, 'raw', 'XN-350^00-22^11001^^^^12345678', '', 'E1394-97', 'HPORL', 1, 1, 2, 0, true],
    ]);
    assert.deepEqual(log[0].tests, ['ABO', 'Rh']);
    assert.equal(log[0].message_time, '20261128090501');
    // Frame 3 of the first transfer went out with a wrong checksum, was NAKed and sent again.
    assert.equal(log[0].checksum_errors, 1);
    assert.deepEqual(run.result.weirds, { 'astm.bad_checksum': 1 });
    // The chemistry message's ten results take frames 1–7, 0, 1 …: each is counted once.
    assert.deepEqual(log[1].tests, ['400', '400/', '401/', '402/', '403/', '404/', '405/', '406/', '407/', '408/', '409/']);
    assert.equal(log[1].password, '<redacted>');
    assert.deepEqual(log[0].phi_fields, ['practice_patient_id', 'patient_id_3', 'patient_name', 'mothers_maiden_name', 'birthdate', 'sex', 'attending_physician']);
    assert.deepEqual(log[3].phi_fields, ['practice_patient_id', 'patient_name', 'birthdate', 'sex']);
    assert.equal(log[2].phi_fields, undefined);
    assert.deepEqual(run.conns.map((c) => c.service), ['astm', 'astm']);
  } finally {
    run.cleanup();
  }
});

test('no patient value, result value or password appears in any log or event', async () => {
  const raw = readFileSync(GENERATED).toString('latin1');
  for (const v of SECRETS) assert.ok(raw.includes(v), `the capture carries ${v}`);
  const run = await runCaptures([GENERATED]);
  try {
    const out = allOutput(run);
    for (const v of SECRETS) assert.ok(!out.includes(v), `${v} leaked into the output`);
    // Result values are not kept at all.
    const astm = readFileSync(join(run.outDir, 'logs', 'astm.log'), 'utf8');
    for (const v of ['7.80', '4.52', 'POS', '10*3/uL']) assert.ok(!astm.includes(v), `result ${v} logged`);
  } finally {
    run.cleanup();
  }
});

test('inventory: the senders of results are lab analyzers named by their headers, the receiver the LIS', async () => {
  const { devices } = await runInventory([GENERATED]);
  const by = (ip: string) => devices.find((d) => d.ips.includes(ip));
  const vision = by('127.0.0.20');
  assert.equal(vision?.category, 'lab_analyzer');
  assert.equal(vision?.vendor, 'Ortho Clinical Diagnostics');
  // Two instruments share this address in the capture (VISION and cobas): the heavier rule
  // of equal weight is the earlier line, the Ortho one.
  assert.equal(vision?.model, 'VISION');
  assert.ok(vision?.medical);
  assert.ok(vision?.evidence.some((e) => e.source === 'astm.sender_id' && e.value === 'OCD^VISION^5.13.1.46935^J60009999'));
  const xn = by('127.0.0.30');
  assert.deepEqual([xn?.category, xn?.vendor, xn?.model], ['lab_analyzer', 'Sysmex', 'XN-350']);
  const lis = by('127.0.0.10');
  assert.equal(lis?.category, 'server');
  assert.match(lis?.category_reason ?? '', /role=astm-lis/);
});

test('probe() takes an ENQ, a first frame or a bare header and nothing else', async () => {
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const flows = await flowBytes(GENERATED);
  assert.equal(flows.length, 2);
  for (const f of flows) {
    const s = f.stream(true);
    assert.equal(probe(s, 0, s.length), PROBE_YES);
  }
  assert.equal(probe(enc('\x05'), 0, 1), PROBE_MAYBE);
  assert.equal(probe(enc('\x06'), 0, 1), PROBE_MAYBE);
  assert.equal(probe(enc('\x05\x021H|\\^&|||x'), 0, 13), PROBE_YES);
  assert.equal(probe(enc('\x021H|\\^&|'), 0, 8), PROBE_YES);
  for (const s of ['GET / HTTP/1.1\r\n', 'HELO x\r\n', 'H|||||x', 'Hello|world', '\x028H|\\^&|', '\x05GET', '\x06\x06', 'HTTP/1.1 200']) assert.equal(probe(enc(s), 0, s.length), PROBE_NO, JSON.stringify(s));
});

test('parse helpers read LIS02-A2 fields by position and LIS01-A2 checksums', () => {
  const h = 'H|\\^&|MSG1|pw|OCD^VISION^5.13^J6|||||RCV||P|LIS2-A|20210309142633';
  const d = headerDelimiters(h)!;
  assert.deepEqual(d, { field: '|', repeat: '\\', component: '^', escape: '&' });
  assert.deepEqual(parseHeader(h, d), { controlId: 'MSG1', password: 'pw', senderId: 'OCD^VISION^5.13^J6', receiverId: 'RCV', processingId: 'P', version: 'LIS2-A', time: '20210309142633' });
  assert.equal(headerDelimiters('H||||'), null);
  assert.deepEqual(patientFields('P|1||||^^', d), []);
  assert.deepEqual(patientFields('P|1|A||||||M', d), ['practice_patient_id', 'sex']);
  assert.equal(testId('R|1|^^^WBC^1|7.8', d), 'WBC');
  assert.equal(testId('O|1|SID||ABO|N', d), 'ABO');
  // "1H|…<CR><ETX>" sums to the frame's C1 C2.
  const body = Uint8Array.from('1H|\\^&\r\x03', (c) => c.charCodeAt(0));
  assert.equal(frameChecksum(body, 0, body.length), [...body].reduce((a, b) => a + b, 0) % 256);
});

test('a transfer split at every byte boundary gives the same messages', async () => {
  const [f] = await flowBytes(GENERATED);
  const whole = feedAnalyzer(new AstmAnalyzer(), f.chunks).events.filter((e) => e.type === 'astm.message');
  const bytes = f.stream(true);
  const split = feedAnalyzer(new AstmAnalyzer(), Array.from(bytes, (b) => ({ isOrig: true, bytes: Uint8Array.of(b) }))).events.filter((e) => e.type === 'astm.message');
  assert.deepEqual(
    split.map((e) => [e.sender_id, e.results, e.tests]),
    whole.filter((e) => e.is_orig).map((e) => [e.sender_id, e.results, e.tests]),
  );
});

test('a gap drops the damaged record and the rest of the transfer is read', async () => {
  const [f] = await flowBytes(GENERATED);
  const orig = f.chunks.filter((c) => c.isOrig);
  // Chunks: ENQ, the H frame, the P frame, … Lose the P frame after its first 10 bytes.
  const p = orig[2].bytes;
  assert.equal(String.fromCharCode(p[2]), 'P');
  const chunks = [...orig.slice(0, 2), { isOrig: true, bytes: p.subarray(0, 10) }, { isOrig: true, bytes: new Uint8Array(0), gap: p.length - 10 }, ...orig.slice(3)];
  const out = feedAnalyzer(new AstmAnalyzer(), chunks);
  const msgs = out.events.filter((e) => e.type === 'astm.message');
  assert.deepEqual(
    msgs.map((e) => [(e.record_types as string[]).join(''), e.patients, e.results]),
    [
      ['HORCL', 0, 2],
      ['HPORL', 1, 10],
      ['HQL', 0, 0],
    ],
  );
  assert.ok(out.weirds.includes('astm.content_gap'));
});

test('the analyzer survives truncation and mutation of the recorded transfers', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of await flowBytes(GENERATED)) for (const o of [true, false]) seeds.push(f.stream(o));
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new AstmAnalyzer(), [{ isOrig: true, bytes: b }]);
    probe(b, 0, b.length);
  }, { mutations: 300 });
});

test('analyze: patient records in clear are phi-cleartext, the header password a clear-text credential', async () => {
  const { runPipeline } = await import('../../engine/pipeline.js');
  const { INVENTORY } = await import('../../inventory/builder.js');
  const run = await runPipeline([GENERATED], { outDir: null }, INVENTORY);
  const f = run.report.findings;
  const phi = f.filter((x) => x.rule === 'phi-cleartext').map((x) => [x.device, x.title]);
  assert.deepEqual(phi.sort(), [
    ['ip:127.0.0.10', 'Patient data sent unencrypted (ASTM)'],
    ['ip:127.0.0.20', 'Patient data sent unencrypted (ASTM)'],
    ['ip:127.0.0.30', 'Patient data sent unencrypted (ASTM)'],
  ]);
  const cred = f.find((x) => x.rule === 'cleartext-credentials');
  assert.equal(cred?.device, 'ip:127.0.0.10');
  assert.match(cred?.detail ?? '', /ASTM|astm/);
  assert.ok(!JSON.stringify(run.report).includes('Pw-Chem#2026'));
  assert.ok(f.some((x) => x.rule === 'cleartext-protocol' && /ASTM E1381\/E1394/.test(x.title)));
});
