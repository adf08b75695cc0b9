// Clinical devices: DICOM associations (tapirx's A-ASSOCIATE captures; the dcmtk loopback
// capture of src/analyzers/dicom/fixtures, whose generate.sh says which AE did what) and HL7
// over MLLP (tapirx's ORM/ORU exchanges; the python3-hl7 loopback capture). Expected names are
// read from the captures' own bytes (MSH segments) or the fixtures' scripts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import type { Device } from '../report/model.js';
import { deviceWithIp, runInventory } from './testutil.js';

const skip = !haveCorpus();
const DICOM_FIXTURES = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures');
const HL7_FIXTURES = join(REPO_ROOT, 'src', 'analyzers', 'hl7', 'fixtures');

const evidence = (d: Device, source: string): string[] => d.evidence.filter((e) => e.source === source).map((e) => e.value).sort();

/** MSH-3 (sending application) of every HL7 message in a capture file's bytes. */
function sendingApps(path: string): Set<string> {
  const text = readFileSync(path).toString('latin1');
  const out = new Set<string>();
  for (const m of text.matchAll(/MSH\|\^~\\&\|([^|]*)\|/g)) out.add(m[1]);
  return out;
}

test('inventory: tapirx HL7 ORM/ORU senders are clinical devices with their sending application as evidence', { skip }, async () => {
  for (const f of ['HL7-ORM.pcap', 'HL7-ORU.pcap']) {
    const path = corpus('tapirx', f);
    const apps = sendingApps(path);
    const { devices } = await runInventory([path]);
    const senders = devices.filter((d) => d.evidence.some((e) => e.fact === 'role' && e.value === 'hl7-sender'));
    assert.equal(senders.length, 1, f);
    const s = senders[0];
    assert.equal(s.category, 'medical_other', `${f}: ${s.category_reason}`);
    assert.equal(s.medical, true);
    assert.ok(evidence(s, 'hl7.sending_application').every((a) => apps.has(a)) && evidence(s, 'hl7.sending_application').length > 0, f);
    // The listener answers on its MLLP port: a service, with the application it acknowledges as.
    const r = devices.find((d) => d !== s)!;
    assert.ok(r.services.some((x) => /^tcp\/\d+ hl7$/.test(x)), `${f}: ${r.services}`);
    assert.ok(evidence(r, 'hl7.receiving_application').length > 0);
    assert.equal(r.category, 'server', `${f}: ${r.category_reason}`);
  }
});

test('inventory: tapirx DICOM clients: a worklist user is imaging, a C-GET client a review workstation, AE titles as evidence', { skip }, async () => {
  // tshark -Y dicom: "A-ASSOCIATE request testclient --> testserver" in both captures.
  const find = (await runInventory([corpus('tapirx', 'dicom_arq_1_find_testclient.pcap')])).devices;
  assert.equal(find.length, 1);
  assert.deepEqual(evidence(find[0], 'dicom.calling_ae'), ['testclient']);
  assert.deepEqual(evidence(find[0], 'dicom.called_ae'), ['testserver']);
  assert.ok(evidence(find[0], 'dicom.role').includes('worklist-scu'));
  assert.equal(find[0].category, 'imaging', find[0].category_reason);
  assert.ok(find[0].evidence.some((e) => e.source === 'dicom.implementation_version' && e.value === 'GODICOM_1_1'));
  const get = (await runInventory([corpus('tapirx', 'dicom_arq_2_get_testclient.pcap')])).devices;
  assert.equal(get.length, 1);
  assert.deepEqual(evidence(get[0], 'dicom.calling_ae'), ['testclient']);
  assert.ok(evidence(get[0], 'dicom.role').includes('retrieve-scu'));
  assert.ok(!evidence(get[0], 'dicom.role').includes('storage-scu'), 'a C-GET client proposes storage to receive, not to send');
  assert.equal(get[0].category, 'workstation', get[0].category_reason);
});

test('inventory: the dcmtk capture holds storage and query SCPs (pacs) and a CT storage SCU, with every AE title', { skip }, async () => {
  // generate.sh: storescp -aet STORESCP / OFFPORT, dcmqrscp (WARDPACS), storescu -aet CTSCANNER,
  // echoscu -aet MODALITY1, findscu -aet WORKSTATION; all on 127.0.0.1, so one device.
  const script = readFileSync(join(DICOM_FIXTURES, 'generate.sh'), 'utf8');
  const aets = new Set([...script.matchAll(/-aet (\w+)/g)].map((m) => m[1]));
  const { devices } = await runInventory([join(DICOM_FIXTURES, 'generated-dicom-dcmtk.pcap')]);
  const d = deviceWithIp(devices, '127.0.0.1')!;
  const calling = evidence(d, 'dicom.calling_ae');
  for (const ae of ['CTSCANNER', 'MODALITY1', 'WORKSTATION']) assert.ok(aets.has(ae) && calling.includes(ae), ae);
  assert.ok(evidence(d, 'dicom.called_ae').includes('WARDPACS'));
  // storescu proposes storage of every class it knows, CT (the file it sends) among them.
  assert.ok(evidence(d, 'dicom.modality').includes('CT'));
  const roles = evidence(d, 'dicom.role');
  for (const r of ['storage-scu', 'storage-scp', 'query-scp']) assert.ok(roles.includes(r), r);
  assert.equal(d.category, 'pacs', d.category_reason);
  assert.match(d.category_reason!, /imaging/, 'the CT sender is the runner-up on the shared address');
});

test('inventory: the python3-hl7 capture names every sending application and the UDI the ORU carried', { skip }, async () => {
  const path = join(HL7_FIXTURES, 'generated-hl7-mllp.pcap');
  const apps = sendingApps(path);
  const { devices } = await runInventory([path]);
  const d = deviceWithIp(devices, '127.0.0.1')!;
  assert.deepEqual(evidence(d, 'hl7.sending_application'), [...apps].sort());
  // oru-r01-udi.hl7: PRT-10 "(01)00812345678906(21)SN12345", the UDI in GS1 form.
  assert.ok(evidence(d, 'hl7.device_id').some((v) => v.includes('(01)00812345678906')), evidence(d, 'hl7.device_id').join(' | '));
  assert.equal(d.medical, true, d.category_reason);
});
