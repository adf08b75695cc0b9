// DICOM from implementations other than dcmtk: the RSNA Central Test Node 3.2 and dcmjs-dimse
// 0.3.3 as SCUs against dcmtk's SCPs (fixtures/generate-interop.sh). Expectations are tshark's
// dissection of each association (fixtures/generated-dicom-interop.*.tshark.tsv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';

const DIR = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures');
const PCAP = join(DIR, 'generated-dicom-interop.pcap');
/** The patient values of ct.dump and worklist.dump that crossed the wire, and dcmjs-dimse's passcode. */
const SECRETS = ['ZZTESTPATIENT', 'WLPID9876543', 'WLPID5550001', '19700101', 'D1mseSecretPw!'];
const USER_IDENTITY: Record<string, string> = { '1': 'username', '2': 'username_and_passcode' };

test('CTN and dcmjs-dimse associations give the AE titles, implementations, user identity and commands tshark shows', async () => {
  // tshark: each A-ASSOCIATE-RQ (frame, client port, calling AE, called AE, implementation class
  // UID and version, user identity type, role selection SOP classes) …
  const rq = readTsharkFields(join(DIR, 'generated-dicom-interop.rq.tshark.tsv'));
  assert.equal(rq.length, 6);
  // … and every P-DATA-TF (frame, ports, Info: the DIMSE messages it carries).
  const pdata = readTsharkFields(join(DIR, 'generated-dicom-interop.pdata.tshark.tsv'));
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('dicom');
    assert.equal(log.length, rq.length);
    for (const [frame, port, calling, called, uid, version, identity] of rq) {
      const r = log.find((x) => x['id.orig_p'] === Number(port));
      assert.ok(r !== undefined, `association of frame ${frame}`);
      assert.equal(r.calling_ae, calling.trim(), frame);
      assert.equal(r.called_ae, called.trim(), frame);
      assert.equal(r.implementation_class_uid, uid, frame);
      assert.equal(r.implementation_version, version, frame);
      // Every SCP is dcmtk 3.6.7 (tshark's A-ASSOCIATE-AC: 1.2.276.0.7230010.3.0.3.6.7, OFFIS_DCMTK_367).
      assert.equal(r.responder_implementation_class_uid, '1.2.276.0.7230010.3.0.3.6.7');
      assert.equal(r.responder_implementation_version, 'OFFIS_DCMTK_367');
      assert.equal(r.user_identity_type, identity === '' ? undefined : USER_IDENTITY[identity], frame);
      assert.equal(r.result, 'accepted');
      assert.equal(r.end, 'released');
      // The request commands in the order tshark lists them (C-GET's sub-operations are the SCP's C-STORE-RQs).
      const want: string[] = [];
      for (const [, src, , info] of pdata) {
        if (src !== port) continue;
        for (const m of info.matchAll(/\b(C-[A-Z]+|N-[A-Z-]+?)-RQ\b/g)) if (!want.includes(m[1])) want.push(m[1]);
      }
      assert.deepEqual(r.commands, want, `commands of frame ${frame}'s association`);
    }
    for (const c of run.conns) assert.equal(c.service, 'dicom');
    // Patient data crossed each store (ct.dump's patient module) and each find answer (the
    // worklist's scheduled patient, the PACS's study); never an echo.
    const phi = Object.fromEntries(log.map((r) => [r.calling_ae, r.phi]));
    assert.deepEqual(phi, { CTNECHO: false, CTNMR: true, CTNMWL: true, DIMSEUS: true, DIMSEWS: true });
    assert.deepEqual(log.find((r) => r.calling_ae === 'CTNMWL')!.phi_tags, ['(0010,0010)', '(0010,0020)']);
    // dcmjs-dimse proposes Implicit then Explicit VR LE for each context; dcmtk takes Explicit.
    const dimse = log.find((r) => r.calling_ae === 'DIMSEUS')!;
    assert.deepEqual(dimse.transfer_syntaxes, ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
    assert.deepEqual(dimse.accepted_transfer_syntaxes, ['1.2.840.10008.1.2.1']);
  } finally {
    run.cleanup();
  }
});

test('the software of each implementation is logged; no patient value and no passcode appears in any output', async () => {
  const raw = readFileSync(PCAP).toString('latin1');
  for (const v of SECRETS) assert.ok(raw.includes(v), `the fixture carries ${v}`);
  const run = await runCaptures([PCAP]);
  try {
    let out = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) out += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const v of SECRETS) assert.ok(!out.includes(v), `${v} leaked into the output`);
    const cred = run.result.events.filter((e) => e.ev.type === 'dicom.credential');
    assert.deepEqual(cred.map((e) => e.ev.user), ['dimseuser']);
    const sw = run.log('software').map((r) => [r.software_type, r.name, r['version.major'] ?? null, r['version.minor'] ?? null, r.unparsed_version]);
    assert.deepEqual(sw, [
      ['DICOM::CLIENT', 'MIRCTN11MAR2003', null, null, 'MIRCTN11MAR2003'],
      ['DICOM::SERVER', 'OFFIS_DCMTK', 367, null, 'OFFIS_DCMTK_367'],
      ['DICOM::CLIENT', 'DCMJS-DIMSE', 0, 2, 'DCMJS-DIMSE-V0.2'],
    ]);
  } finally {
    run.cleanup();
  }
});
