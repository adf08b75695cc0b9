// DICOM bulk queries (dicom-query.ts) on a generated capture of real implementations
// (test/fixtures/generated/dicom-query/generate.sh: dcmqrscp holding 120 made-up patients; a
// viewer's query for one patient id, then findscu asking for every patient and every study).
// Which association sent which query and how many matches came back is tshark's DICOM decode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tempDir } from '../testutil/tmp.js';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dicom-bulk-query.pcap');
/** tshark's rows: frame, client port, calling AE of an association request, C-FIND-RQs, pending C-FIND-RSPs, C-MOVE-RQs. */
const rows = readTsharkFields(join(GEN, 'dicom-query', 'tshark.tsv'));
const callingOf = new Map(rows.filter((r) => r[2] !== '').map((r) => [r[1], r[2]]));
/** Per association (client port) that queried: the frame of its query, the frames its matches came in, and how many. */
const assocs = [...callingOf]
  .filter(([port]) => rows.some((r) => r[1] === port && r[3] === '1'))
  .map(([port, ae]) => ({
    ae,
    query: Number(rows.find((r) => r[1] === port && r[3] === '1')![0]),
    matchFrames: rows.filter((r) => r[1] === port && r[4] !== '0').map((r) => [Number(r[0]), Number(r[4])] as const),
  }));
/** The C-MOVE requests' frames, with their association's calling AE. */
const moves = rows.filter((r) => r[5] === '1').map((r) => [Number(r[0]), callingOf.get(r[1])] as const);
const total = (a: (typeof assocs)[number]): number => a.matchFrames.reduce((n, [, k]) => n + k, 0);

test('dicom.query: each C-FIND identifier by its shape — level, keys, whether a key narrows — as findscu sent them', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const qs = run.result.events.filter((e) => e.ev.type === 'dicom.query').map((e) => e.ev);
    // generate.sh: -k QueryRetrieveLevel=PATIENT -k PatientID=WLP007 -k PatientName; then
    // PatientName, PatientID, PatientBirthDate all empty; then STUDY with PatientName=*, PatientID,
    // StudyDate, StudyInstanceUID.
    assert.deepEqual(
      qs.map((q) => [q.packet, q.level, q.keys, q.narrowed, q.sop_class]),
      [
        [assocs[0].query, 'PATIENT', 2, true, '1.2.840.10008.5.1.4.1.2.1.1'],
        [assocs[1].query, 'PATIENT', 3, false, '1.2.840.10008.5.1.4.1.2.1.1'],
        [assocs[2].query, 'STUDY', 4, false, '1.2.840.10008.5.1.4.1.2.2.1'],
      ],
    );
    // The C-MOVE requests name their destination (movescu -aem HARVEST), from the command set.
    const mv = run.result.events.filter((e) => e.ev.type === 'dicom.command' && e.ev.command === 'C-MOVE-RQ').map((e) => [e.ev.packet, e.ev.move_destination]);
    assert.deepEqual(mv, moves.map(([f]) => [f, 'HARVEST']));
  } finally {
    run.cleanup();
  }
});

test('dicom-bulk-query: the two universal queries (120 matches each) make one alert on the client, critical with the retrieves that followed; the viewer\'s query for one patient none', async () => {
  assert.deepEqual(assocs.map((a) => [a.ae, total(a)]), [['VIEWER01', 1], ['HARVEST', 120], ['HARVEST', 120]]);
  assert.deepEqual(moves.map(([, ae]) => ae), ['HARVEST', 'HARVEST', 'HARVEST']);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['dicom-bulk-query', 'ip:127.0.0.1', '127.0.0.1', 'critical', 2, [assocs[1].query, assocs[1].matchFrames[0][0], assocs[2].query, assocs[2].matchFrames[0][0], moves[0][0]]]],
  );
  assert.match(alerts[0].why, /^127\.0\.0\.1 \(AE "HARVEST"\) asked the DICOM archive 127\.0\.0\.1 \(AE "WARDPACS"\) for every study — a Study Root C-FIND at STUDY level whose 4 keys all match anything \(empty or "\*"\) — and was sent 120 matches/);
  assert.ok(alerts[0].why.endsWith(`; then it asked for 3 retrieves (C-MOVE to AE "HARVEST", the first at packet ${moves[0][0]}): the records it listed are being copied out`), alerts[0].why);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1213']);
  // Above the capture's 120: nothing, the retrieves included; at one match the narrow query still raises nothing.
  assert.deepEqual(await monitorCaptures([PCAP], { dicomBulkQueryMatches: 121 }), []);
  assert.deepEqual((await monitorCaptures([PCAP], { dicomBulkQueryMatches: 1 })).map((a) => [a.rule, a.count]), [['dicom-bulk-query', 2]]);
});

test('dicom-bulk-query: the dcmtk interoperability capture (findscu for PatientName=ZZTEST*, a narrowing key) raises nothing', async () => {
  const dcmtk = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures', 'generated-dicom-dcmtk.pcap');
  assert.deepEqual((await monitorCaptures([dcmtk], { dicomBulkQueryMatches: 1 })).filter((a) => a.rule === 'dicom-bulk-query'), []);
});

test('no patient name or id of the archive appears in any output of analyze (logs, report, findings, OCSF, CEF, CSV)', () => {
  const out = tempDir('wardline-dicom-query-');
  const o = join(out, 'o');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'wardline.mjs'), 'analyze', PCAP, '--out', o, '--no-progress', '--ocsf', join(out, 'x.ocsf'), '--cef', join(out, 'x.cef'), '--inventory-csv', join(out, 'x.csv'), '--findings-csv', join(out, 'f.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = [...readdirSync(o, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name)), ...['x.ocsf', 'x.cef', 'x.csv', 'f.csv'].map((f) => join(out, f))];
  assert.ok(files.length >= 8, String(files.length));
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    // generate.sh's made-up patients: names ZZTEST^PATIENTnnn, ids WLPnnn.
    assert.doesNotMatch(text, /ZZTEST|PATIENT\d{3}|WLP\d{3}/, f);
  }
  // And the finding is there.
  assert.match(readFileSync(join(o, 'report.json'), 'utf8'), /"rule": ?"dicom-bulk-query"/);
});
