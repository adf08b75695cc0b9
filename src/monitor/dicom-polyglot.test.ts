// DICOM files that are also programs (dicom-polyglot.ts) on a capture of real tools moving a
// PE/DICOM polyglot (test/fixtures/generated/dicom-polyglot/generate.sh: curl from Python's
// http.server, smbclient to Samba; the file's preamble holds a PE header, no code). Which frame is
// which comes from tshark's decode (transfers.tsv beside generate.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dicom-polyglot.pcap');
/** tshark: frame, source, destination, request URI, the URI a response answers, SMB2 command, file name, write length. */
const t = readTsharkFields(join(GEN, 'dicom-polyglot', 'transfers.tsv'));

test('dicom-polyglot: the web server that served the polyglot and the workstation that copied it to the share are each alerted, high, with the file as evidence; the clean image is not', async () => {
  const response = t.find((r) => r[4].endsWith('/ct-0002.dcm'))!;
  const write = t.find((r) => r[5] === '9')!;
  const alerts = (await monitorCaptures([PCAP])).filter((a) => a.rule === 'dicom-polyglot');
  assert.deepEqual(
    alerts.map((a) => [a.device, a.peer, a.severity, a.count, a.evidence.map((e) => [e.fact, e.packet])]),
    [
      [`ip:${response[1]}`, response[2], 'high', 1, [['dicom-executable-preamble', Number(response[0])]]],
      [`ip:${write[1]}`, write[2], 'high', 1, [['dicom-executable-preamble', Number(write[0])]]],
    ],
  );
  assert.equal(
    alerts[1].why,
    '10.98.12.66 sent 10.98.12.2 a DICOM file whose preamble is a Windows PE executable\'s header (study-0002.dcm, over SMB): a PE/DICOM polyglot (CVE-2019-11687), an image to the PACS and a program to Windows — malware hidden in patient data.',
  );
  assert.match(alerts[0].evidence[0].value, /^\/ct-0002\.dcm: Windows PE header in the preamble, SHA-256 ee370b61d73752da0ff95ac8cbb66b66de3d2681cbe8160b1fa4a018001e39fd \(file F[0-9A-Za-z]{17}\)$/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1027.009']);
});
