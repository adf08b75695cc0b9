// HL7 FHIR REST over plain HTTP, on a capture made on loopback (curl against a minimal FHIR R4
// endpoint on Python's http.server; no FHIR server ships with Debian, so the endpoint is the
// 40-line fhir/fhir-server.py beside the capture and the resources are FHIR's own example
// patient): the search values that name the patient are redacted in http.log, the exchanges
// raise phi-cleartext on the server (reads) and on the client (a create), and no patient value
// reaches any output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { REDACTED } from '../secret.js';
import { fhirTarget, isFhirMediaType, redactFhirQuery } from './fhir.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-fhir-rest.pcap');
/** Values of the example patient (fhir/Patient-example.json) and of the search curl sent. */
const PATIENT_VALUES = ['Chalmers', '1974-12-25', 'Erewhon', 'PleasantVille', 'Peter James'];

test('http.log keeps FHIR resource paths and search parameter names, not their values', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const http = run.log('http');
    // curl's three requests, as tshark shows them: GET /fhir/Patient/example,
    // GET /fhir/Patient?family=Chalmers&birthdate=1974-12-25&_count=10, POST /fhir/Observation.
    assert.deepEqual(
      http.map((h) => [h.method, h.uri, h.status_code]),
      [
        ['GET', '/fhir/Patient/example', 200],
        ['GET', `/fhir/Patient?family=${REDACTED}&birthdate=${REDACTED}&_count=10`, 200],
        ['POST', '/fhir/Observation', 201],
      ],
    );
  } finally {
    run.cleanup();
  }
});

test('phi-cleartext: the FHIR server for the patient reads, the client for the Observation it created; no patient value in any output', () => {
  const out = mkdtempSync(join(tmpdir(), 'wardline-fhir-'));
  try {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'wardline.mjs'), 'analyze', PCAP, '--out', join(out, 'o'), '--no-progress', '--format', 'json', '--cef', join(out, 'f.cef'), '--ocsf', join(out, 'f.ocsf'), '--inventory-csv', join(out, 'i.csv')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'o', 'report.json'), 'utf8')) as { findings: { rule: string; title: string; detail: string; evidence: { packet: number }[] }[] };
    const phi = report.findings.filter((f) => f.rule === 'phi-cleartext');
    assert.equal(phi.length, 1, 'client and server are one loopback address: one device');
    assert.match(phi[0].title, /FHIR/);
    assert.match(phi[0].detail, /Observation, Patient|Patient, Observation/);
    // Evidence cites the request packets (tshark: 4, 16 the reads, 28 the create).
    assert.deepEqual([...new Set(phi[0].evidence.map((e) => e.packet))].sort((a, b) => a - b), [4, 28]);
    const files = filesUnder(out);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const v of PATIENT_VALUES) assert.ok(!text.includes(v), `${v} in ${f}`);
    }
    for (const v of PATIENT_VALUES) assert.ok(!r.stdout.includes(v));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('fhirTarget() finds the resource type of FHIR paths and nothing in ordinary web paths', () => {
  // Synthetic request targets in the forms FHIR R4 §3.1.0 lists.
  assert.deepEqual(fhirTarget('/baseR4/Patient/123/_history/2'), { resource: 'Patient', patientData: true });
  assert.deepEqual(fhirTarget('/fhir/Observation?patient=Patient/123&code=8867-4'), { resource: 'Observation', patientData: true });
  assert.deepEqual(fhirTarget('/fhir/r4/Practitioner?name=smith'), { resource: 'Practitioner', patientData: false });
  assert.equal(fhirTarget('/index.html?Patient=1'), null);
  assert.equal(fhirTarget('/images/Logo.png'), null);
  assert.equal(redactFhirQuery('/fhir/Patient?identifier=MRN|123&_sort=-date&_id=9', 'x'), '/fhir/Patient?identifier=x&_sort=-date&_id=x');
  assert.ok(isFhirMediaType('application/fhir+json') && isFhirMediaType('application/json+fhir') && !isFhirMediaType('application/json'));
});
