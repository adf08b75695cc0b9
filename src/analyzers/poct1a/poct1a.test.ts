// POCT1-A (CLSI POCT01-A2) on the loopback capture of fixtures/ (README.md): a point-of-care
// device and a data manager written from the standard, over real TCP sockets. Synthetic: no
// capture of the shared corpus and no Debian package carries POCT1-A. Expected values are the
// messages fixtures/poct1a_peers.py sent (its source is the record of what went on the wire).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { payloads } from '../../testutil/payloads.js';
import { Poct1aAnalyzer } from './analyzer.js';
import { messageEnd, messageStart, parseMessage } from './parse.js';
import { probe } from './probe.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const PCAP = join(REPO_ROOT, 'src', 'analyzers', 'poct1a', 'fixtures', 'generated-poct1a.pcap');
const DEVICE = '127.0.0.51';
const BLOODGAS = '127.0.0.52';
const DM = '127.0.0.50';
/** Patient values and the operator id the observations carried: no output may hold them. */
const SECRETS = ['MRN0042317', 'DOE^JANE', 'DOE', '1961-07-14', 'RN-5521'];

test('poct1a.log: every message of both connections, found off any port by the probe', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('poct1a');
    const flow = (port: number) => log.filter((r) => r['id.resp_p'] === port).map((r) => `${r.is_orig ? '>' : '<'}${String(r.message_type)}`);
    // Port 7500: hello, status (answered by an ACK and a request for observations), the
    // observations, end of topic; the data manager ends the conversation.
    assert.deepEqual(flow(7500), ['>HEL.R01', '<ACK.R01', '>DST.R01', '<ACK.R01', '>OBS.R01', '<REQ.R01', '<ACK.R01', '>EOT.R01', '<END.R01']);
    // Port 23001: each device message written in three parts (three TCP segments).
    assert.deepEqual(flow(23001), ['>HEL.R01', '<ACK.R01', '>OBS.R01', '<ACK.R01', '>EOT.R01', '<END.R01']);
    const hel = log.find((r) => r.message_type === 'HEL.R01' && r['id.resp_p'] === 7500)!;
    assert.deepEqual(
      [hel['id.orig_h'], hel.control_id, hel.version_id, hel.device_id, hel.vendor_id, hel.model_id, hel.serial_id, hel.manufacturer_name, hel.hw_version, hel.sw_version, hel.device_name],
      [DEVICE, '1', 'POCT1', '00-1B-44-11-3A-B7', 'ACME-POC', 'GlucoCheck 700', 'GC7-000123', 'Acme Point of Care', 'B2', '4.1.7', 'WARD-3B-GLU-02'],
    );
    const obs = log.find((r) => r.message_type === 'OBS.R01' && r['id.resp_p'] === 7500)!;
    assert.deepEqual([obs.observations, obs.observation_ids, obs.patient_fields, obs.operators], [2, ['Glu', 'Ket'], ['PT.birth_date', 'PT.name', 'PT.patient_id'], 1]);
    const qc = log.find((r) => r.message_type === 'OBS.R01' && r['id.resp_p'] === 23001)!;
    assert.deepEqual([qc['id.orig_h'], qc.observations, qc.observation_ids, qc.patient_fields], [BLOODGAS, 2, ['pH', 'pCO2'], undefined]);
    assert.deepEqual(log.filter((r) => r.message_type === 'ACK.R01').map((r) => r.ack_type), ['AA', 'AA', 'AA', 'AA', 'AA']);
    assert.deepEqual(run.log('conn').map((c) => c.service), ['poct1a', 'poct1a']);
    assert.deepEqual(run.log('weird'), []);
    // No patient value or operator id in any log.
    for (const f of readdirSync(join(run.outDir, 'logs'))) {
      const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
      for (const s of SECRETS) assert.ok(!text.includes(s), `${f} holds ${s}`);
    }
  } finally {
    run.cleanup();
  }
});

test('inventory and assessment: two point-of-care analyzers, the data manager, patient data in clear', async () => {
  const run = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const dev = (ip: string) => run.report.devices.find((d) => d.ips.includes(ip));
  const glu = dev(DEVICE)!;
  assert.deepEqual([glu.category, glu.medical, glu.vendor, glu.model], ['lab_analyzer', true, 'Acme Point of Care', 'GlucoCheck 700']);
  assert.ok(glu.software.includes('GlucoCheck 700 4.1.7'));
  assert.ok(glu.evidence.some((e) => e.fact === 'role' && e.value === 'poct-device' && e.source === 'poct1a.message_type'));
  assert.deepEqual([dev(BLOODGAS)?.category, dev(BLOODGAS)?.model], ['lab_analyzer', 'BloodGas 300']);
  const dm = dev(DM)!;
  assert.equal(dm.category, 'server');
  assert.ok(dm.evidence.some((e) => e.fact === 'role' && e.value === 'poct-data-manager'));
  const phi = run.report.findings.filter((f) => f.rule === 'phi-cleartext');
  assert.deepEqual(phi.map((f) => [f.device, f.title]), [[glu.id, 'Patient data sent unencrypted (POCT1-A)']]);
  assert.match(phi[0].detail, /patient fields PT\.birth_date, PT\.name, PT\.patient_id went unencrypted to 127\.0\.0\.50/);
  // The evidence names what the items are (it once called them FHIR resources).
  assert.ok(phi[0].evidence.some((e) => e.value === 'patient fields PT.birth_date, PT.name, PT.patient_id (values not kept)'));
  assert.match(phi[0].remediation, /TLS/);
  const clear = run.report.findings.filter((f) => f.rule === 'cleartext-protocol' && f.device === dm.id);
  assert.deepEqual(clear.map((f) => [f.title, f.severity]).sort(), [
    ['Clear-text POCT1-A served on port 23001', 'high'],
    ['Clear-text POCT1-A served on port 7500', 'high'],
  ]);
  const json = JSON.stringify(run.report);
  for (const s of SECRETS) assert.ok(!json.includes(s), `report holds ${s}`);
});

test('probe: a POCT1-A root after the XML declaration; other XML and text are no', () => {
  const enc = (s: string) => Uint8Array.from(Buffer.from(s));
  const yes = ['<?xml version="1.0"?><HEL.R01><HDR>', '<OBS.R01>', '\ufeff<?xml version="1.0"?>\r\n<!-- c --><ACK.R01>'];
  for (const s of yes) assert.equal(probe(enc(s), 0, enc(s).length), PROBE_YES, s);
  for (const s of ['<?xml version="1.0"', '<', '<HEL.R0']) assert.equal(probe(enc(s), 0, enc(s).length), PROBE_MAYBE, s);
  for (const s of ["<?xml version='1.0'?><stream:stream to='x'>", '<html><body>', 'GET / HTTP/1.1\r\n', '<hel.r01>', '<HELLO.R01>']) assert.equal(probe(enc(s), 0, enc(s).length), PROBE_NO, s);
});

test('messages cut anywhere across segments give the same events', async () => {
  const flows = await flowBytes(PCAP);
  assert.equal(flows.length, 2);
  for (const { rPort: port, chunks } of flows) {
    const whole = feedAnalyzer(new Poct1aAnalyzer(), chunks).events.map((e) => JSON.stringify({ ...e, packet: 0 }));
    assert.ok(whole.length >= 6, String(port));
    // Re-cut every direction's bytes into 7-byte pieces.
    const recut: { isOrig: boolean; bytes: Uint8Array }[] = [];
    for (const c of chunks) for (let i = 0; i < c.bytes.length; i += 7) recut.push({ isOrig: c.isOrig, bytes: c.bytes.subarray(i, i + 7) });
    const small = feedAnalyzer(new Poct1aAnalyzer(), recut).events.map((e) => JSON.stringify({ ...e, packet: 0 }));
    assert.deepEqual(small, whole, String(port));
  }
});

test('parseMessage(), messageStart() and messageEnd() survive truncation and mutation', async () => {
  const seeds = (await payloads(PCAP)).map((p) => p.bytes).filter((b) => b.length > 40);
  assert.ok(seeds.length >= 10);
  fuzzParser(seeds, (b) => {
    const st = messageStart(b, 0, b.length);
    if (typeof st === 'object') {
      const e = messageEnd(b, st.at, b.length, st.name);
      parseMessage(st.name, Buffer.from(b.subarray(st.at, e < 0 ? b.length : e)).toString('utf8'));
    }
  });
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new Poct1aAnalyzer(), [{ isOrig: true, bytes: b }]);
  }, { seed: 2 });
});
