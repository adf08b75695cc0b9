// DICOMweb (PS3.18) in HTTP: target recognition on the standard's URI forms (synthetic strings
// from PS3.18 §8-§11 and plain web paths that must not match), and a real exchange between curl
// and Orthanc's DICOMweb plugin on loopback (test/fixtures/generated/README.md; the corpus has
// no DICOMweb capture): services, redacted QIDO-RS values, phi-cleartext, and the archive's role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { testKb } from '../../inventory/testutil.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { dicomwebTarget, redactDicomwebQuery } from './dicomweb.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-dicomweb.pcap');

test('dicomwebTarget() names the PS3.18 services and leaves ordinary web paths alone (synthetic URIs)', () => {
  const t = (m: string, u: string): string | null => {
    const r = dicomwebTarget(m, u);
    return r === null ? null : `${r.service}${r.strong ? '' : '?'}`;
  };
  assert.equal(t('GET', '/dicom-web/studies?PatientID=11235813'), 'QIDO-RS');
  assert.equal(t('GET', '/dicomweb/studies/1.2.3/series?Modality=CT'), 'QIDO-RS');
  assert.equal(t('GET', '/dcm4chee-arc/aets/DCM4CHEE/rs/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5'), 'WADO-RS');
  assert.equal(t('GET', '/wado-rs/studies/1.2.3/metadata'), 'WADO-RS');
  assert.equal(t('GET', '/rs/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1,3'), 'WADO-RS');
  assert.equal(t('GET', '/rs/studies/1.2.3/rendered'), 'WADO-RS');
  assert.equal(t('POST', '/dicom-web/studies'), 'STOW-RS?');
  assert.equal(t('POST', '/dicom-web/studies/1.2.3'), 'STOW-RS');
  assert.equal(t('GET', '/dicom-web/workitems?ScheduledProcedureStepStartDateTime=20261128'), 'UPS-RS');
  assert.equal(t('GET', '/wado?requestType=WADO&studyUID=1.2&seriesUID=1.2.3&objectUID=1.2.3.4'), 'WADO-URI');
  // A bare search is DICOMweb only if a DICOM media type confirms it.
  assert.equal(t('GET', '/api/studies'), 'QIDO-RS?');
  // Web pages with the same words are not.
  assert.equal(t('GET', '/series/breaking-bad/season-1'), null);
  assert.equal(t('GET', '/university/studies/medicine.html'), null);
  assert.equal(t('GET', '/index.html'), null);
});

test('redactDicomwebQuery() keeps shaping parameters and UIDs and redacts what may name a patient', () => {
  assert.equal(
    redactDicomwebQuery('/rs/studies?PatientName=DOE*&00100020=MRN1&StudyDate=20260101-&limit=5&offset=10&includefield=00081030&StudyInstanceUID=1.2.3&fuzzymatching=true', 'X'),
    '/rs/studies?PatientName=X&00100020=X&StudyDate=X&limit=5&offset=10&includefield=00081030&StudyInstanceUID=1.2.3&fuzzymatching=true',
  );
  assert.equal(redactDicomwebQuery('/rs/studies/1.2.3/metadata', 'X'), '/rs/studies/1.2.3/metadata');
});

test("Orthanc's DICOMweb exchanges: each service named, search values redacted, no patient value in any output", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const http = run.log('http');
    // tshark's request list (README): STOW, QIDO, WADO metadata, WADO instance, WADO-URI, REST.
    assert.deepEqual(http.map((l) => [l.method, l.dicomweb ?? null, l.status_code]), [
      ['POST', 'STOW-RS', 200],
      ['GET', 'QIDO-RS', 200],
      ['GET', 'WADO-RS', 200],
      ['GET', 'WADO-RS', 200],
      ['GET', 'WADO-URI', 200],
      ['GET', null, 200],
    ]);
    assert.equal(http[1].uri, '/dicom-web/studies?PatientID=<redacted>&PatientName=<redacted>&limit=10&includefield=00081030');
    let all = '';
    for (const f of readdirSync(join(run.outDir, 'logs'))) all += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    all += JSON.stringify(run.result.events);
    for (const secret of ['DOE', 'JANE', 'MRN12345', '19700101']) assert.ok(!all.includes(secret), secret);
  } finally {
    run.cleanup();
  }
});

test('DICOMweb over plain HTTP is phi-cleartext on the archive (results, metadata, instances) and the uploader (STOW-RS); the archive is a pacs', async () => {
  const { report } = await runPipeline([PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const devices = report.devices;
  const phi = report.findings.filter((f) => f.rule === 'phi-cleartext');
  // Client and server share 127.0.0.1: one device sent both ways.
  assert.equal(phi.length, 1);
  assert.match(phi[0].title, /DICOMweb/);
  assert.deepEqual(phi[0].evidence.map((e) => e.packet).sort((a, b) => a - b), [4, 16, 28, 52]);
  assert.ok(phi[0].evidence.every((e) => e.source === 'http.dicomweb'));
  assert.equal(devices.find((d) => d.ips.includes('127.0.0.1'))?.category, 'pacs');
  const text = JSON.stringify(report);
  for (const secret of ['DOE', 'JANE', 'MRN12345', '19700101']) assert.ok(!text.includes(secret), secret);
});
