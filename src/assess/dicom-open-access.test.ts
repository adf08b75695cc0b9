// dicom-open-access on captures of real DICOM implementations: dcmtk's storescp, which answers
// nmap's dicom-ping (calling ECHOSCU, called ANY-SCP) without checking either title
// (test/fixtures/generated/nmap-sv/nmap-aggressive.sh); dcmqrscp configured to accept ANY peer,
// which refuses unknown called titles but accepts echoscu's default calling title
// (monitor/dicom-brute.sh); and Orthanc and storescp accepting only the AE titles they were
// configured with (generated-dicom-bulk-query.pcap, generated-internet-exposure.pcap). Which
// frame is which, and the AE titles, come from tshark (the .tsv files beside the captures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { assessCaptures } from './testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');

async function findings(pcap: string): Promise<import('../report/model.js').Finding[]> {
  const { result, run } = await assessCaptures([join(GEN, pcap)]);
  run.cleanup();
  return result.findings.filter((f) => f.rule === 'dicom-open-access');
}

test('dicom-open-access: storescp accepting nmap\'s dicom-ping (ECHOSCU calling ANY-SCP) checks neither title; medium, the accept as evidence', async () => {
  /** tshark: frame, source, destination, PDU type, calling AE, called AE. */
  const rows = readTsharkFields(join(GEN, 'nmap-sv', 'generated-nmap-aggressive.dicom.tshark.tsv'));
  const ac = rows.find((r) => r[3] === '0x02')!;
  assert.deepEqual([ac[4].trim(), ac[5].trim()], ['ECHOSCU', 'ANY-SCP']);
  const f = await findings(join('nmap-sv', 'generated-nmap-aggressive.pcap'));
  assert.deepEqual(f.map((x) => [x.device, x.severity, x.evidence.map((e) => e.packet)]), [[`ip:${ac[1]}`, 'medium', [Number(ac[0])]]]);
  assert.equal(
    f[0].detail,
    'The device\'s DICOM service accepted an association called "ANY-SCP" on port 104, a placeholder that names no application: it does not check the AE title it is called by; and it accepted an association from "ECHOSCU" on port 104, a DICOM tool\'s default calling AE title: it lets in callers it was not configured for. AE titles are DICOM\'s access control; without them any host that reaches the port may query, retrieve or store studies as far as the service allows.',
  );
});

test("dicom-open-access: dcmqrscp refusing every unknown called title but accepting echoscu's default calling title is one, for the calling title only", async () => {
  /** tshark: frame, source, destination, TCP stream, PDU type, calling AE, called AE. */
  const rows = readTsharkFields(join(GEN, 'monitor', 'generated-dicom-brute.dicom.tsv'));
  const accepts = rows.filter((r) => r[4] === '0x02');
  assert.equal(accepts.length, 1);
  assert.ok(rows.filter((r) => r[4] === '0x03').length >= 8, 'the unknown called titles were refused');
  const f = await findings(join('monitor', 'generated-dicom-brute.pcap'));
  assert.deepEqual(f.map((x) => [x.severity, x.evidence.map((e) => e.packet)]), [['medium', [Number(accepts[0][0])]]]);
  assert.match(f[0].detail, /^The device's DICOM service accepted an association from "ECHOSCU" on port 4242, a DICOM tool's default calling AE title: it lets in callers it was not configured for\./);
});

test('dicom-open-access: SCPs that accepted only the AE titles configured for them (Orthanc, storescp) give none', async () => {
  assert.deepEqual(await findings('generated-dicom-bulk-query.pcap'), []);
  assert.deepEqual(await findings('generated-internet-exposure.pcap'), []);
});
