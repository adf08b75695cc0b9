// DICOM analyzer tests on real captures: tapirx's A-ASSOCIATE-RQ captures (expectations from
// the corpus README and tshark's DICOM dissector) and a loopback capture of Debian's dcmtk
// (fixtures/README.md lists the commands; expectations are what dcmtk was asked to do and what
// `tshark -r fixtures/generated-dicom-dcmtk.pcap -Y dicom` shows). A second dcmtk capture on an
// unassigned port, cut before its second C-STORE, is a capture begun mid-association.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT, runCaptures, type RunOutput } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { pcapFrom } from '../../testutil/pcapwriter.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES, PROBE_CERTAIN } from '../types.js';
import { DicomAnalyzer } from './analyzer.js';
import { parseAssociate, parseCommand, parsePduHeader, PDU_ASSOCIATE_RQ, PDU_HEADER_LEN, scanDataSet } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GENERATED = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures', 'generated-dicom-dcmtk.pcap');
/** storescu → storescp (AE ARCHIVE) on port 30105, two C-STOREs in one association (generate-midassoc.sh). */
const OFFPORT_STORE = join(REPO_ROOT, 'src', 'analyzers', 'dicom', 'fixtures', 'generated-dicom-offport-store.pcap');
const TAPIRX_FIND = corpus('tapirx', 'dicom_arq_1_find_testclient.pcap');
const TAPIRX_GET = corpus('tapirx', 'dicom_arq_2_get_testclient.pcap');
/** Values written into the generated capture's data sets and user identity (fixtures/*.dump, gen.sh). */
const PATIENT_VALUES = ['ZZTESTPATIENT', 'WLPID9876543', '19700101'];
const PASSCODE = 'S3cretDicomPw!';

function allOutput(run: RunOutput): string {
  let s = '';
  for (const f of readdirSync(join(run.outDir, 'logs'))) s += readFileSync(join(run.outDir, 'logs', f), 'utf8');
  return s + JSON.stringify(run.result.events);
}

test('tapirx A-ASSOCIATE-RQ captures give the AE titles and implementation the README names', { skip }, async () => {
  const run = await runCaptures([TAPIRX_FIND, TAPIRX_GET]);
  try {
    const log = run.log('dicom');
    assert.equal(log.length, 2);
    for (const r of log) {
      // tshark: "A-ASSOCIATE request testclient --> testserver"; README: the implementation.
      assert.equal(r.calling_ae, 'testclient');
      assert.equal(r.called_ae, 'testserver');
      assert.equal(r.implementation_class_uid, '1.2.826.0.1.3680043.9.7133.1.1');
      assert.equal(r.implementation_version, 'GODICOM_1_1');
      assert.equal(r.application_context, '1.2.840.10008.3.1.1.1');
      // Only the request was captured: no AC, no commands.
      assert.equal(r.result, 'no-response');
      assert.equal(r.phi, false);
    }
    const find = log.find((r) => r['id.orig_p'] === 49531)!;
    // tshark -V lists four abstract syntaxes, each with four transfer syntaxes.
    assert.deepEqual(find.abstract_syntaxes, ['1.2.840.10008.5.1.4.1.2.1.1', '1.2.840.10008.5.1.4.1.2.2.1', '1.2.840.10008.5.1.4.1.2.3.1', '1.2.840.10008.5.1.4.31']);
    assert.deepEqual(find.transfer_syntaxes, ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);
    // The GET request spans two TCP segments (16,499 bytes): it must be reassembled.
    const get = log.find((r) => r['id.orig_p'] === 49541)!;
    assert.ok((get.abstract_syntaxes as string[]).includes('1.2.840.10008.5.1.4.1.2.1.3'));
    assert.ok((get.abstract_syntaxes as string[]).length >= 100);
    for (const c of run.conns) assert.equal(c.service, 'dicom');
  } finally {
    run.cleanup();
  }
});

test('dcmtk associations give commands, results and endings as tshark dissects them', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const log = run.log('dicom');
    const got = log.map((r) => [r.calling_ae, r.called_ae, r['id.resp_p'], (r.commands as string[] | undefined)?.join(',') ?? '', r.result, r.end, r.phi]);
    assert.deepEqual(got, [
      ['MODALITY1', 'STORESCP', 11112, 'C-ECHO', 'accepted', 'released', false],
      ['CTSCANNER', 'STORESCP', 11112, 'C-STORE', 'accepted', 'released', true],
      ['CTSCANNER', 'STORESCP', 11112, 'C-STORE', 'accepted', 'released', true],
      ['CTSCANNER', 'STORESCP', 11112, 'C-STORE', 'accepted', 'released', true],
      ['MODALITY1', 'STORESCP', 11112, 'C-ECHO', 'accepted', 'aborted-by-user', false],
      ['CTSCANNER', 'WARDPACS', 4242, 'C-STORE', 'accepted', 'released', true],
      ['WORKSTATION', 'WARDPACS', 4242, 'C-FIND', 'accepted', 'released', true],
      // tshark: "A-ASSOCIATE reject MODALITY1 <-- WRONGAE (Called AE title not recognized)".
      ['MODALITY1', 'WRONGAE', 4242, '', 'rejected-permanent:called-AE-title-not-recognized', 'rejected', false],
      // Port 30104 is no DICOM port: found by the probe.
      ['MODALITY2', 'OFFPORT', 30104, 'C-ECHO', 'accepted', 'released', false],
    ]);
    for (const r of log) {
      assert.equal(r.implementation_version, 'OFFIS_DCMTK_367');
      assert.equal(r.implementation_class_uid, '1.2.276.0.7230010.3.0.3.6.7');
    }
    // storescu -xi proposes Implicit VR only; -xe proposes explicit first and the SCP takes it.
    assert.deepEqual(log[1].accepted_transfer_syntaxes, ['1.2.840.10008.1.2']);
    assert.equal((log[2].accepted_transfer_syntaxes as string[])[0], '1.2.840.10008.1.2.1');
    // ct.dump: PatientName, PatientID, BirthDate, Sex; sq.dump (explicit VR, an undefined-length
    // sequence before the patient module): PatientName and PatientID.
    assert.deepEqual(log[1].phi_tags, ['(0010,0010)', '(0010,0020)', '(0010,0030)', '(0010,0040)']);
    assert.deepEqual(log[2].phi_tags, ['(0010,0010)', '(0010,0020)']);
    assert.equal(log[3].user_identity_type, 'username_and_passcode');
    for (const c of run.conns) assert.equal(c.service, 'dicom');
    const cmds = run.result.events.filter((e) => e.ev.type === 'dicom.command').map((e) => `${e.ev.command}:${e.ev.status_text ?? ''}`);
    assert.ok(cmds.includes('C-FIND-RSP:pending') && cmds.includes('C-FIND-RSP:success') && cmds.includes('C-STORE-RSP:success'));
    const assoc = run.result.events.filter((e) => e.ev.type === 'dicom.associate');
    const ct = assoc.find((e) => e.ev.calling_ae === 'CTSCANNER')!.ev;
    assert.equal(ct.scu, '127.0.0.1');
    assert.ok((ct.modalities as string[]).includes('CT') && (ct.sop_classes as string[]).includes('CT Image Storage'));
  } finally {
    run.cleanup();
  }
});

test('no patient value and no passcode appears in any log or event', async () => {
  const raw = readFileSync(GENERATED).toString('latin1');
  for (const v of [...PATIENT_VALUES, PASSCODE]) assert.ok(raw.includes(v), `the fixture carries ${v}`);
  const run = await runCaptures([GENERATED]);
  try {
    const out = allOutput(run);
    for (const v of [...PATIENT_VALUES, PASSCODE]) assert.ok(!out.includes(v), `${v} leaked into the output`);
    const cred = run.result.events.filter((e) => e.ev.type === 'dicom.credential');
    assert.equal(cred.length, 1);
    assert.equal(cred[0].ev.user, 'wluser');
    assert.match(String(cred[0].ev.secret), /^[0-9a-f]{64}$/);
    const phi = run.result.events.filter((e) => e.ev.type === 'dicom.phi');
    // C-FIND: the query carries PatientName=ZZTEST* from the workstation; the response carries values from the PACS.
    assert.ok(phi.some((e) => e.ev.command === 'C-FIND-RQ' && e.ev.is_orig === true));
    assert.ok(phi.some((e) => e.ev.command === 'C-FIND-RSP' && e.ev.is_orig === false));
  } finally {
    run.cleanup();
  }
});

test('probe() takes an A-ASSOCIATE-RQ and refuses other first bytes', { skip }, async () => {
  const [f] = await flowBytes(TAPIRX_FIND);
  const rq = f.stream(true);
  // CERTAIN: the application context UID is DICOM's, which no other protocol's header imitates.
  assert.equal(probe(rq, 0, rq.length, true), PROBE_CERTAIN);
  assert.ok(probe(rq, 0, rq.length, false) < PROBE_YES);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true), PROBE_NO);
  const tls = Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]);
  assert.equal(probe(tls, 0, tls.length, true), PROBE_NO);
});

test('the analyzer resynchronises to a PDU after losing bytes', async () => {
  const flows = await flowBytes(GENERATED);
  const store = flows.find((f) => f.oPort === 36434)!;
  const a = new DicomAnalyzer();
  const chunks = store.chunks;
  // Lose the requester's first P-DATA chunk (a TCP gap): its command is lost, the release is not.
  const firstPdata = chunks.findIndex((c) => c.isOrig && c.bytes[0] === 0x04);
  const fed = chunks.map((c, i) => (i === firstPdata ? { isOrig: true, bytes: new Uint8Array(0), gap: c.bytes.length } : c));
  const out = feedAnalyzer(a, fed);
  assert.ok(out.weirds.includes('dicom.content_gap'));
  const assoc = out.events.find((e) => e.type === 'dicom.association')!;
  assert.equal(assoc.end, 'released');
  assert.deepEqual(out.events.filter((e) => e.type === 'dicom.command').map((e) => e.command), ['C-STORE-RSP']);
});

test('parsers survive truncation and mutation of real PDUs, command sets and data sets', async () => {
  const flows = await flowBytes(GENERATED);
  const seeds: Uint8Array[] = [];
  for (const f of flows.slice(0, 8)) for (const c of f.chunks.slice(0, 6)) seeds.push(c.bytes.slice(0, 4096));
  fuzzParser(seeds, (b) => {
    const h = parsePduHeader(b, 0, b.length);
    if (typeof h !== 'string' && h.type <= 2) parseAssociate(h.type, b, PDU_HEADER_LEN, Math.max(0, b.length - PDU_HEADER_LEN));
    // PDV value starts 12 bytes in (PDU header + PDV header).
    if (b.length > 12) {
      parseCommand(b, 12, b.length - 12);
      scanDataSet(b, 12, b.length - 12, 'implicit_le');
      scanDataSet(b, 12, b.length - 12, 'explicit_le');
      scanDataSet(b, 12, b.length - 12, 'explicit_be');
    }
  }, { mutations: 150 });
  assert.equal(parseAssociate(PDU_ASSOCIATE_RQ, new Uint8Array(10), 0, 10), 'bad');
});

test('the analyzer survives mutated and truncated real streams', async () => {
  const flows = await flowBytes(GENERATED);
  for (const f of flows.slice(0, 9)) {
    const chunks = f.chunks;
    fuzzParser(
      chunks.map((c) => c.bytes.slice(0, 2048)),
      (b) => {
        const out = feedAnalyzer(new DicomAnalyzer(), [...chunks.slice(0, 2), { isOrig: true, bytes: b }, { isOrig: false, bytes: b }]);
        void out;
      },
      { mutations: 25 },
    );
  }
});

// tshark -d tcp.port==30105,dicom on the whole capture: 16 is the requester's P-DATA-TF header of
// the second C-STORE-RQ (ID=2, CT Image Storage; its data set names the patient, (0010,0010) and
// (0010,0020)), 18 its command and data set, 20 and 22 the C-STORE-RSP (Success), 24 and 25 the
// release. 17 on, the requester's first chunk is the middle of a PDU.
for (const [from, what] of [
  [16, "from the second C-STORE's P-DATA-TF header"],
  [17, 'from inside the second C-STORE-RQ'],
] as const) {
  test(`an association on an unassigned port, captured ${what}, is DICOM without a weird`, async () => {
    const run = await runCaptures([pcapFrom(OFFPORT_STORE, from)]);
    try {
      assert.deepEqual(run.log('conn').map((c) => c.service), ['dicom']);
      assert.equal(run.log('weird').length, 0);
      const cmds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'dicom.command');
      const want = from === 16 ? ['C-STORE-RQ', 'C-STORE-RSP'] : ['C-STORE-RSP'];
      assert.deepEqual(cmds.map((e) => e.command), want);
      assert.ok(cmds.every((e) => e.sop_class === '1.2.840.10008.5.1.4.1.1.2' && e.message_id === 2));
      const [line] = run.log('dicom');
      assert.equal(line.end, 'released');
      if (from === 16) assert.deepEqual(line.phi_tags, ['(0010,0010)', '(0010,0020)']);
      assert.ok(!allOutput(run).includes('ZZTESTPATIENT') && !allOutput(run).includes('WLPID9876543'));
    } finally {
      run.cleanup();
    }
  });
}

test('probe() takes a command P-DATA-TF mid-association; a header alone or a data fragment is a maybe', async () => {
  const [f] = await flowBytes(OFFPORT_STORE);
  const c = f.chunks.filter((x) => x.isOrig && x.bytes.length > 0);
  // The first C-STORE's 12-byte P-DATA-TF header (DCMTK sends it apart), then its command and data set.
  const at = c.findIndex((x) => x.bytes[0] === 0x04);
  const header = c[at].bytes;
  assert.equal(header.length, 12);
  assert.equal(probe(header, 0, header.length, true), PROBE_MAYBE);
  const whole = new Uint8Array([...header, ...c[at + 1].bytes]);
  assert.equal(probe(whole, 0, whole.length, true), PROBE_YES);
  assert.equal(probe(whole, 0, whole.length, false), PROBE_YES);
  const even = Uint8Array.from(whole);
  even[10] = 2; // presentation context ids are odd
  assert.equal(probe(even, 0, even.length, true), PROBE_NO);
  const noGroupLength = Uint8Array.from(whole);
  noGroupLength[16] = 2; // a command set must open with (0000,0000) of length 4
  assert.equal(probe(noGroupLength, 0, noGroupLength.length, true), PROBE_NO);
  const data = Uint8Array.from(whole);
  data[11] = 0x02; // last data fragment
  assert.equal(probe(data, 0, data.length, true), PROBE_MAYBE);
});
