// File analysis (files.log) on real captures, expectations from the peers: Zeek's file-analysis
// baselines (MD5/SHA-1/SHA-256, media type, sizes of the HTTP POST and FTP RETR files), Zeek's
// files.log of the same FTP transfer, Arkime's http md5 of five captures, tshark's
// --export-objects http for gzip-encoded bodies (decoded first, as Zeek and tshark do), and a
// DICOM file fetched over HTTP and uploaded over FTP on loopback by real servers
// (test/fixtures/generated/dicomfile, hashes from md5sum/sha256sum there). SMB reads and writes:
// Zeek's smb2-read-write files.log, tshark --export-objects smb (MD5 of each exported file),
// Suricata's fileinfo of smb1-01, tshark's list of the reads of a partly read file, and files
// read and written by smbclient on a Samba share (test/fixtures/generated/smbfile: SMB 3.1.1
// 2 MiB reads streamed, SMB1 reads answered out of order). The media-type table, the
// Content-Disposition parser and the offset reassembly's bounds are checked on synthetic bytes:
// no capture holds every magic, or tens of files read out of order at once. SMTP message parts:
// Zeek's smtp attachment files.log and smtp.log, Python's email package on the same messages,
// and a generated message with base64 attachments (test/fixtures/generated/smtpmime); the MIME
// walk's edge cases (nesting, near-miss boundaries, RFC 2231 names) on synthetic messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, readZeekTsv, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser, rng } from '../../testutil/fuzz.js';
import { assessCaptures } from '../../assess/testutil.js';
import { dispositionFilename } from './params.js';
import { derivedUid } from '../../flow/uid.js';
import { dicomFilePatientTags, executablePreamble } from './file.js';
import type { AppEvent } from '../types.js';
import { RangedFile } from './ranged.js';
import { MimeFiles } from './mime.js';
import { MultipartTap } from './multipart.js';
import { isUpdateFile } from './kinds.js';
import { recordStreams, TestContext } from '../../testutil/recorded.js';
import { createHash } from 'node:crypto';
import { sniffMime } from './sniff.js';

const skip = !haveCorpus() && 'shared corpus not present';
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');

/** Zeek's file-analysis-test.zeek output: per file, its MIME type, total bytes and hashes. */
function zeekFiles(path: string): { mime: string; md5: string; sha1: string; sha256: string; size: number }[] {
  const out: { mime: string; md5: string; sha1: string; sha256: string; size: number }[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  let cur: { mime: string; md5: string; sha1: string; sha256: string; size: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === 'FILE_NEW') out.push((cur = { mime: '', md5: '', sha1: '', sha256: '', size: -1 }));
    else if (cur === null) continue;
    else if (l === 'MIME_TYPE') cur.mime = lines[i + 1];
    else if (/^file #\d+, \d+, 0$/.test(l)) cur.size = Math.max(cur.size, Number(l.split(', ')[1]));
    else if (l.startsWith('MD5: ')) cur.md5 = l.slice(5);
    else if (l.startsWith('SHA1: ')) cur.sha1 = l.slice(6);
    else if (l.startsWith('SHA256: ')) cur.sha256 = l.slice(8);
  }
  return out;
}

test("HTTP POST body and answer: Zeek's hashes, media types and sizes; http.log links them by fuid", { skip }, async () => {
  const zeek = zeekFiles(corpus('zeek', 'baselines', 'scripts.base.frameworks.file-analysis.http.post', 'out'));
  const run = await runCaptures([corpus('zeek', 'traces', 'http', 'post.pcap')]);
  try {
    const files = run.log('files');
    assert.deepEqual(
      files.map((f) => [f.source, f.mime_type, f.seen_bytes, f.md5, f.sha1, f.sha256]),
      zeek.map((z) => ['HTTP', z.mime, z.size, z.md5, z.sha1, z.sha256]),
    );
    assert.deepEqual(files.map((f) => f.is_orig), [true, false]);
    assert.deepEqual(files.map((f) => f.total_bytes), [11, 366]);
    const http = run.log('http');
    assert.equal(http.length, 1);
    assert.deepEqual(http[0].orig_fuids, [files[0].fuid]);
    assert.deepEqual(http[0].resp_fuids, [files[1].fuid]);
    assert.ok(files.every((f) => f.uid === http[0].uid && f.depth === 1 && /^F[0-9A-Za-z]{17}$/.test(String(f.fuid))));
  } finally {
    run.cleanup();
  }
});

test("FTP RETR over a PASV data connection: Zeek's FTP_DATA file (hashes, size, direction, duration)", { skip }, async () => {
  const zeek = zeekFiles(corpus('zeek', 'baselines', 'scripts.base.frameworks.file-analysis.ftp', 'out'));
  const zlog = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.files.extract.limit', 'files.log'));
  const run = await runCaptures([corpus('zeek', 'traces', 'ftp', 'retr.pcap')]);
  try {
    const files = run.log('files');
    assert.equal(files.length, 1);
    const f = files[0];
    assert.deepEqual([f.source, f.mime_type, f.seen_bytes, f.md5, f.sha1, f.sha256], ['FTP_DATA', zeek[0].mime, zeek[0].size, zeek[0].md5, zeek[0].sha1, zeek[0].sha256]);
    assert.equal(f['id.orig_p'], Number(zlog[0]['id.orig_p']));
    assert.equal(f['id.resp_p'], Number(zlog[0]['id.resp_p']));
    assert.equal(f.is_orig, zlog[0].is_orig === 'T');
    assert.equal(f.duration, Number(zlog[0].duration));
    assert.equal(f.missing_bytes, 0);
    const dataConn = run.log('conn').find((c) => c.uid === f.uid)!;
    assert.equal(dataConn.service, 'ftp-data');
  } finally {
    run.cleanup();
  }
});

test("HTTP bodies hash as Arkime's http md5 says, on five of its captures (a multipart upload's parts as Zeek has them)", { skip }, async () => {
  for (const name of ['http-simple-get', 'http-post-upload', 'http-empty-useragent', 'socks-http-pass', 'ntlm_synthetic']) {
    const t = readFileSync(corpus('arkime', 'tests', 'pcap', `${name}.test`), 'utf8');
    const want = new Set<string>();
    for (const m of t.matchAll(/"md5" : \[([^\]]*)\]/g)) for (const h of m[1].match(/[0-9a-f]{32}/g) ?? []) want.add(h);
    assert.ok(want.size > 0, name);
    if (name === 'http-post-upload') {
      // Arkime hashes the multipart/form-data request body whole (its requestBody: 449 bytes,
      // MD5 550be33b…); wardline, like Zeek's HTTP MIME handling, makes each part a file: the
      // one non-empty part of that body, "123456" (file1 "123.doc(5).exe"), is the file.
      const body = (JSON.parse(t) as { sessions3: { body: { http: { requestBody: string[] } } }[] }).sessions3[0].body.http.requestBody[0];
      const whole = createHash('md5').update(Buffer.from(body, 'latin1')).digest('hex');
      assert.ok(want.delete(whole), 'the whole body is among Arkime\'s hashes');
      const part = /filename="123\.doc\(5\)\.exe"\r\nContent-Type: [^\r]*\r\n\r\n([^\r]*)\r\n--/.exec(body)![1];
      want.add(createHash('md5').update(part).digest('hex'));
    }
    const run = await runCaptures([corpus('arkime', 'tests', 'pcap', `${name}.pcap`)]);
    try {
      const got = new Set(run.log('files').filter((f) => f.source === 'HTTP' && f.md5 !== undefined).map((f) => String(f.md5)));
      assert.deepEqual([...got].sort(), [...want].sort(), name);
    } finally {
      run.cleanup();
    }
  }
});

test('gzip-encoded HTTP bodies are decoded before hashing: the MD5s of tshark --export-objects http', { skip }, async () => {
  // tshark 4.0 exported "/" (39,738 bytes decoded from gzip) and favicon.ico (289 bytes, also
  // gzip) from this trace: md5sum 7271ce3f… and 773f0527… .
  const run = await runCaptures([corpus('zeek', 'traces', 'var-services-std-ports.pcap')]);
  try {
    const files = run.log('files').filter((f) => f.source === 'HTTP');
    assert.deepEqual(files.map((f) => [f.md5, f.seen_bytes, f.mime_type]).sort(), [
      ['7271ce3fd2b4e640247af9f0cc5f5456', 39738, 'text/html'],
      ['773f052751eb61bf163e18f2d4ba6e22', 289, 'text/html'],
    ]);
    // The announced Content-Length is of the encoded body: not the file's size.
    assert.ok(files.every((f) => f.total_bytes === undefined));
  } finally {
    run.cleanup();
  }
});

test('a DICOM file with patient tags fetched over HTTP and uploaded over FTP: application/dicom, its hashes, patient data in clear', async () => {
  // generate.sh printed md5sum 55d19e48… for the file served, fetched and uploaded, sha1sum
  // 4faf0ec5…, sha256sum db739b3d… ; ct.dump gives it PatientName, PatientID, PatientBirthDate, PatientSex.
  const a = await assessCaptures([join(GEN, 'generated-dicom-file-transfer.pcap')]);
  try {
    const files = a.run.log('files');
    assert.deepEqual(files.map((f) => [f.source, f.is_orig, f.mime_type, f.seen_bytes]).sort(), [
      ['FTP_DATA', true, 'application/dicom', 722],
      ['HTTP', false, 'application/dicom', 722],
    ]);
    for (const f of files) {
      assert.equal(f.md5, '55d19e48ee178db4d16ab150747e2c48');
      assert.equal(f.sha1, '4faf0ec54a9552163a4efb31994f66002932f776');
      assert.equal(f.sha256, 'db739b3dd929a06832c95171da9967af85e195b7e3f432d7c813f783fe7b19fc');
    }
    const phi = a.result.findings.find((f) => f.rule === 'phi-cleartext');
    assert.ok(phi !== undefined, 'phi-cleartext');
    assert.match(phi.evidence[0].value, /\(0010,0010\), \(0010,0020\), \(0010,0030\), \(0010,0040\)/);
    const out = readFileSync(join(a.run.outDir, 'logs', 'files.log'), 'utf8') + JSON.stringify(a.result);
    assert.ok(!out.includes('ZZTESTPATIENT') && !out.includes('WLPID9876543'), 'no patient value in any output');
  } finally {
    a.run.cleanup();
  }
});

test('sniffMime() names what Zeek names (synthetic magic bytes)', () => {
  const bytes = (s: string, pad = 0): Uint8Array => Uint8Array.from([...Array(pad).fill(0), ...Array.from(s, (c) => c.charCodeAt(0))]);
  assert.equal(sniffMime(bytes('MZ\x90\x00\x03'), 5), 'application/x-dosexec');
  assert.equal(sniffMime(bytes('%PDF-1.7\n'), 9), 'application/pdf');
  assert.equal(sniffMime(bytes('\x89PNG\r\n\x1a\n'), 8), 'image/png');
  assert.equal(sniffMime(bytes('{"resourceType": "Patient"}'), 27), 'text/json');
  assert.equal(sniffMime(bytes('<?xml version="1.0"?><a/>'), 25), 'application/xml');
  assert.equal(sniffMime(bytes('<!DOCTYPE html><html></html>'), 28), 'text/html');
  assert.equal(sniffMime(bytes('hello world'), 11), 'text/plain');
  assert.equal(sniffMime(bytes('short'), 5), null, 'Zeek wants ten printable bytes for text/plain');
  assert.equal(sniffMime(bytes('\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a'), 11), null);
  const dicm = bytes('DICM', 128);
  assert.equal(sniffMime(dicm, dicm.length), 'application/dicom');
  assert.equal(dicomFilePatientTags(dicm, dicm.length), null, 'no meta group: not readable');
});

test('dicom.polyglot: a DICOM file whose preamble is a Windows PE header, fetched over HTTP and written to a share over SMB (generated-dicom-polyglot.pcap: curl, http.server, smbclient, Samba); the clean image is none', async () => {
  // dicom-polyglot/generate.sh: the files' SHA-256 from sha256sum, the transfers from tshark.
  const sha = Object.fromEntries(readFileSync(join(GEN, 'dicom-polyglot', 'sha256.txt'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/).reverse()));
  /** tshark: frame, source, destination, request URI, the URI a response answers, SMB2 command, file name, write length. */
  const t = readTsharkFields(join(GEN, 'dicom-polyglot', 'transfers.tsv'));
  const polyResponse = t.find((r) => r[4].endsWith('/ct-0002.dcm'))!;
  const write = t.find((r) => r[5] === '9')!;
  const events: AppEvent[] = [];
  const r = await runCaptures([join(GEN, 'generated-dicom-polyglot.pcap')], undefined, { onEvent: (ev) => void (ev.type === 'dicom.polyglot' && events.push(ev)) });
  assert.deepEqual(
    events.map((e) => [e.source, e.sender, e.receiver, e.format, e.filename ?? e.url, e.sha256, e.packet]),
    [
      ['HTTP', polyResponse[1], polyResponse[2], 'Windows PE', '/ct-0002.dcm', sha['web/ct-0002.dcm'], Number(polyResponse[0])],
      ['SMB', write[1], write[2], 'Windows PE', t.find((x) => x[5] === '5')![6], sha['share/study-0002.dcm'], Number(write[0])],
    ],
  );
  // The clean image went by too, as application/dicom, and is not one.
  const files = r.log('files');
  assert.deepEqual(files.map((f) => [f.mime_type, f.sha256]).sort(), [['application/dicom', sha['web/ct.dcm']], ['application/dicom', sha['web/ct-0002.dcm']], ['application/dicom', sha['share/study-0002.dcm']]].sort());
});

test('executablePreamble() names the executable formats and passes the preambles PS3.10 allows (synthetic preambles)', () => {
  const file = (pre: number[]): Uint8Array => {
    const b = new Uint8Array(200);
    b.set(pre, 0);
    b.set([0x44, 0x49, 0x43, 0x4d], 128);
    return b;
  };
  const pe = file([0x4d, 0x5a]);
  pe[0x3c] = 0x80;
  pe.set([0x50, 0x45, 0, 0], 0x80);
  assert.equal(executablePreamble(pe, pe.length), 'Windows PE');
  assert.equal(executablePreamble(file([0x4d, 0x5a]), 200), 'DOS MZ', 'e_lfanew 0: no PE signature to find');
  assert.equal(executablePreamble(file([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 200), 'ELF');
  assert.equal(executablePreamble(file([0xcf, 0xfa, 0xed, 0xfe]), 200), 'Mach-O');
  assert.equal(executablePreamble(file([0x23, 0x21, 0x2f]), 200), 'script (#!)');
  assert.equal(executablePreamble(file([]), 200), null, 'zeros');
  assert.equal(executablePreamble(file([0x49, 0x49, 0x2a, 0]), 200), null, 'a TIFF header (dual-format files)');
  assert.equal(executablePreamble(file([0x4d, 0x4d, 0, 0x2a]), 200), null, 'a big-endian TIFF header');
  const far = file([0x4d, 0x5a]);
  far[0x3f] = 0xff; // e_lfanew beyond any buffer: read as unsigned, never indexed
  assert.equal(executablePreamble(far, far.length), 'DOS MZ');
  assert.equal(executablePreamble(pe, 100), null, 'too short to be a Part 10 file');
});

test('Content-Disposition file names (RFC 6266), paths dropped', () => {
  assert.equal(dispositionFilename('attachment; filename="study 1.dcm"'), 'study 1.dcm');
  assert.equal(dispositionFilename('attachment; filename=report.pdf'), 'report.pdf');
  assert.equal(dispositionFilename("attachment; filename*=UTF-8''r%C3%B6ntgen.dcm; filename=\"x.dcm\""), 'röntgen.dcm');
  assert.equal(dispositionFilename('attachment; filename="C:\\\\exports\\\\ct.dcm"'), 'ct.dcm');
  assert.equal(dispositionFilename('inline'), null);
});

test('fuids are Zeek-shaped, stable and distinct per file', () => {
  const a = derivedUid('F', 'CHhAvVGS1DHFjwGM9', 0);
  assert.match(a, /^F[0-9A-Za-z]{17}$/);
  assert.equal(a, derivedUid('F', 'CHhAvVGS1DHFjwGM9', 0));
  const all = new Set<string>();
  for (let i = 0; i < 1000; i++) all.add(derivedUid('F', 'CHhAvVGS1DHFjwGM9', i));
  assert.equal(all.size, 1000);
});

test('dicomFilePatientTags() reads the real file and never throws on damaged ones (fuzz)', () => {
  // The file as it crossed the wire in the generated capture: 722 bytes from 128 before "DICM".
  const pcap = readFileSync(join(GEN, 'generated-dicom-file-transfer.pcap'));
  const at = pcap.indexOf('DICM') - 128;
  const dcm = new Uint8Array(pcap.subarray(at, at + 722));
  assert.deepEqual(dicomFilePatientTags(dcm, dcm.length), ['(0010,0010)', '(0010,0020)', '(0010,0030)', '(0010,0040)']);
  fuzzParser([dcm], (b) => {
    dicomFilePatientTags(b, b.length);
    sniffMime(b, b.length);
  });
});

// ---- SMB -----------------------------------------------------------------------------------

test("SMB read and write: Zeek's smb2-read-write files.log (source, name, direction, sizes)", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.smb.smb2-read-write', 'files.log'));
  const run = await runCaptures([corpus('zeek', 'traces', 'smb', 'smb2readwrite.pcap')]);
  try {
    const fmt = (source: unknown, mime: unknown, name: unknown, isOrig: unknown, seen: unknown, total: unknown, missing: unknown) => [source, mime, name, isOrig, String(seen), String(total ?? '-'), String(missing)].join('|');
    assert.deepEqual(
      run.log('files').map((f) => fmt(f.source, f.mime_type, f.filename, f.is_orig, f.seen_bytes, f.total_bytes, f.missing_bytes)).sort(),
      want.map((w) => fmt(w.source, w.mime_type, w.filename, w.is_orig === 'T', w.seen_bytes, w.total_bytes === '-' ? undefined : w.total_bytes, w.missing_bytes)).sort(),
    );
  } finally {
    run.cleanup();
  }
});

/**
 * MD5 of every file `tshark -r <pcap> --export-objects smb,<dir>` (Wireshark 4.0.17) exports
 * whole; tshark fills what was never read with zeros, so a partly read file is checked apart.
 */
const TSHARK_SMB_MD5: [string, string[], string, string][] = [
  ['zeek/traces/smb/smb2readwrite.pcap', ['zeek', 'traces', 'smb', 'smb2readwrite.pcap'], 'pythonfile', 'd8a73157ce10cd94a91c2079fc9a92c8'],
  ['zeek/traces/smb/smb2readwrite.pcap', ['zeek', 'traces', 'smb', 'smb2readwrite.pcap'], 'pythonfile2', '227869e7d5bd4fbf9eb90ec2ec8f5c42'],
  ['zeek/traces/smb/smb1.pcap', ['zeek', 'traces', 'smb', 'smb1.pcap'], 'Test\\2009-12 Payroll.xlsx', 'a32f7d177c243bf75c3f1deb153d426e'],
  ['arkime smb-smbclient.pcap (SMB1)', ['arkime', 'tests', 'pcap', 'smb-smbclient.pcap'], '\\tmp\\foo', 'e19c1283c925b3206685ff522acfe3e6'],
];

test('SMB files hash as tshark exports them (SMB1 and SMB2, reads and writes)', { skip }, async () => {
  for (const [label, path, name, md5] of TSHARK_SMB_MD5) {
    const run = await runCaptures([corpus(...path)]);
    try {
      const f = run.log('files').filter((x) => x.source === 'SMB' && x.filename === name);
      assert.equal(f.length, 1, `${label}: ${name}`);
      assert.equal(f[0].md5, md5, `${label}: ${name}`);
      assert.deepEqual(f[0].analyzers, ['MD5', 'SHA1', 'SHA256']);
    } finally {
      run.cleanup();
    }
  }
});

test("Suricata's smb1-01 fileinfo: the whole 25,940-byte workbook, without gaps; smb_files carries its fuid", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'smb1-01', 'smb1.pcap')]);
  try {
    const f = run.log('files').filter((x) => x.source === 'SMB');
    assert.equal(f.length, 1);
    assert.equal(f[0].filename, 'Test\\2009-12 Payroll.xlsx');
    assert.equal(f[0].seen_bytes, 25940);
    assert.equal(f[0].missing_bytes, 0);
    assert.equal(f[0].total_bytes, 25940);
    assert.equal(f[0].is_orig, false);
    const smb = run.log('smb_files').filter((r) => r.fuid === f[0].fuid);
    assert.deepEqual(smb.map((r) => r.action), ['SMB::FILE_READ']);
  } finally {
    run.cleanup();
  }
});

test('a file read in scattered pieces (mapi.pcap): what was read, the rest missing, no hashes', { skip }, async () => {
  // tshark: READ_ANDX requests for 4096 bytes at 0, 20480, 45056, 94208 and 98304 and 8192 at
  // 106496 (28,672 bytes) of the 114,688-byte \Exchange\mailbox.PAB, answered in that order.
  const run = await runCaptures([corpus('zeek', 'traces', 'dce-rpc', 'mapi.pcap')]);
  try {
    const f = run.log('files').filter((x) => x.source === 'SMB');
    assert.equal(f.length, 1);
    assert.equal(f[0].filename, '\\Exchange\\mailbox.PAB');
    assert.equal(f[0].seen_bytes, 28672);
    assert.equal(f[0].total_bytes, 114688);
    assert.equal(f[0].missing_bytes, 106496 + 8192 - 28672);
    assert.equal(f[0].md5, undefined);
    assert.deepEqual(f[0].analyzers, []);
  } finally {
    run.cleanup();
  }
});

test('smbclient and Samba (generated): 2 MiB SMB3 reads and writes streamed, SMB1 reads out of order, a DICOM file on a share is patient data in clear', async () => {
  const pcap = join(GEN, 'generated-smb-file-transfer.pcap');
  // md5sum / sha1sum / sha256sum of the files (test/fixtures/generated/smbfile/generate.sh).
  const big = ['40031f6776c1fbee97b3845c502e75f1', 'e6984ccb8c5cf55afebd5694fb99cb021a265d15', '71e63bde5b275834d8fdf54d8513c54ca354140211e9af8792891448b4207ed0'];
  const ct = ['55d19e48ee178db4d16ab150747e2c48', '4faf0ec54a9552163a4efb31994f66002932f776', 'db739b3dd929a06832c95171da9967af85e195b7e3f432d7c813f783fe7b19fc'];
  const small = ['3163b39e9006e6edd9d8bddda567b39c', '6c5ab8348ff15a9d849b554ee0c02b88de33971e', '2396bbb75d008080417086917e37cd30a8440a4d571d1f09daefbe6a10135646'];
  const a = await assessCaptures([pcap]);
  try {
    const files = a.run.log('files');
    const row = (f: Record<string, unknown>) => [f.filename, f.is_orig, f.seen_bytes, f.total_bytes ?? null, f.missing_bytes, f.md5, f.sha1, f.sha256];
    assert.deepEqual(files.map(row), [
      ['big.bin', false, 2097929, 2097929, 0, ...big],
      ['ct.dcm', true, 722, null, 0, ...ct],
      ['upload.bin', true, 2097929, null, 0, ...big],
      ['\\big.bin', false, 2097929, 2097929, 0, ...big],
      ['\\small.txt', true, 47, null, 0, ...small],
    ]);
    assert.equal(files[1].mime_type, 'application/dicom');
    const phi = a.result.findings.filter((x) => x.rule === 'phi-cleartext');
    assert.equal(phi.length, 1);
    // The sender is the client that wrote the file (10.98.0.10), not the file server.
    const client = a.result.devices.find((d) => d.ips.includes('10.98.0.10'))!;
    assert.equal(phi[0].device, client.id);
    assert.ok(phi[0].evidence.some((e) => String(e.value).endsWith(`, in a DICOM file sent over SMB (files.log ${files[1].fuid})`)), JSON.stringify(phi[0].evidence));
    const out = ['files', 'smb_files'].map((l) => readFileSync(join(a.run.outDir, 'logs', `${l}.log`), 'utf8')).join('') + JSON.stringify(a.result);
    assert.ok(!out.includes('ZZTESTPATIENT') && !out.includes('WLPID9876543'), 'no patient value in any output');
  } finally {
    a.run.cleanup();
  }
});

test('offset reassembly (synthetic): pieces in any order, repeated or overlapping, give the whole file; past its bounds the hole is missing bytes', () => {
  const body = new Uint8Array(300_000);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7919 + (i >> 8)) & 0xff;
  const md5 = createHash('md5').update(body).digest('hex');
  const r = rng(5);
  for (let round = 0; round < 20; round++) {
    const ctx = new TestContext();
    const f = new RangedFile(ctx, { source: 'SMB', isOrig: false, total: body.length }, 0);
    const pieces: [number, number][] = [];
    for (let at = 0; at < body.length; ) {
      const n = 1 + Math.floor(r() * 20000);
      pieces.push([at, Math.min(n, body.length - at)]);
      at += n;
    }
    // Shuffle a few neighbours and repeat some pieces, overlapping their neighbours.
    for (let i = 0; i + 1 < pieces.length; i++) if (r() < 0.3) [pieces[i], pieces[i + 1]] = [pieces[i + 1], pieces[i]];
    for (const [at, n] of [...pieces]) if (r() < 0.1) pieces.push([Math.max(0, at - 100), Math.min(n + 200, body.length - Math.max(0, at - 100))]);
    for (const [at, n] of pieces) f.data(ctx, at, body, at, n);
    const ev = f.close(ctx)!;
    assert.equal(ev.seen_bytes, body.length);
    assert.equal(ev.missing_bytes, 0);
    assert.equal(ev.md5, md5);
  }
  // A hole never filled: what came after it is counted, the hole is missing, no hashes.
  const ctx = new TestContext();
  const f = new RangedFile(ctx, { source: 'SMB', isOrig: false, total: body.length }, 1);
  f.data(ctx, 0, body, 0, 1000);
  f.data(ctx, 5000, body, 5000, body.length - 5000);
  const ev = f.close(ctx)!;
  assert.deepEqual([ev.seen_bytes, ev.missing_bytes, ev.md5], [body.length - 4000, 4000, undefined]);
  // More early runs than a file holds (64): the 65th gives up on the hole before it; pieces
  // that arrive later for offsets already passed are dropped; every byte is seen or missing.
  const g = new RangedFile(ctx, { source: 'SMB', isOrig: false }, 2);
  for (let k = 100; k >= 1; k--) g.data(ctx, k * 2000, body, k * 2000, 1000);
  const e2 = g.close(ctx)!;
  assert.equal(e2.seen_bytes, 65 * 1000);
  assert.equal(e2.seen_bytes + e2.missing_bytes, 101 * 2000 - 1000);
  // An offset no file has (a mutated 64-bit field) is ignored, not counted as petabytes missing.
  const h = new RangedFile(ctx, { source: 'SMB', isOrig: true }, 3);
  h.data(ctx, 0, body, 0, 100);
  h.data(ctx, 2 ** 60, body, 0, 100);
  h.lost(ctx, 2 ** 62, 10);
  const e3 = h.close(ctx)!;
  assert.deepEqual([e3.seen_bytes, e3.missing_bytes], [100, 0]);
  assert.equal(e3.md5, createHash('md5').update(body.subarray(0, 100)).digest('hex'));
});

// ---- SMTP (MIME entities) -----------------------------------------------------------------

test("SMTP message parts: Zeek's smtp attachment files.log (depth, media type, name, duration) and smtp.log fuids", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek', 'baselines', 'scripts.base.protocols.smtp.attachment', 'files.log'));
  const run = await runCaptures([corpus('zeek', 'traces', 'smtp.pcap')]);
  try {
    const files = run.log('files');
    assert.deepEqual(
      files.map((f) => [f.source, f.depth, f.mime_type, f.filename ?? '-', f.duration, f.is_orig, f.total_bytes ?? '-', f.missing_bytes]),
      want.map((w) => [w.source, Number(w.depth), w.mime_type, w.filename, Number(w.duration), w.is_orig === 'T', w.total_bytes, Number(w.missing_bytes)]),
    );
    // seen_bytes: equal, except that Zeek also counts the line break before the boundary
    // delimiter of a quoted-printable part (RFC 2046 §5.1.1 gives it to the delimiter; Python's
    // email package and wardline drop it): the HTML part and NEWS.txt are 2 bytes shorter here.
    const qp = new Set([1, 2]);
    assert.deepEqual(
      files.map((f) => f.seen_bytes),
      want.map((w, i) => Number(w.seen_bytes) - (qp.has(i) ? 2 : 0)),
    );
    const smtp = run.log('smtp');
    assert.deepEqual(
      smtp.map((s) => s.fuids),
      [files.slice(0, 3).map((f) => f.fuid), [files[3].fuid]],
    );
  } finally {
    run.cleanup();
  }
});

test("SMTP message parts hash as Python's email package decodes them (Zeek's and nDPI's smtp.pcap: 7bit and quoted-printable parts)", { skip }, async () => {
  // The DATA of each message (dot-unstuffed) parsed by Python 3.11's email.message_from_bytes,
  // part.get_payload(decode=True): sizes and MD5s.
  const python = [
    [77, '58aff3af22807bc5f4b6357c0038256c'],
    [1866, '400bc5dee3dfd1c4a028b5bd89c953d9'],
    [10807, '98b40d2ca6fe05f78229984a923909bf'],
    [204, 'f6bf92b103a9d008e070c53bdf9a640c'],
  ];
  const run = await runCaptures([corpus('zeek', 'traces', 'smtp.pcap')]);
  try {
    assert.deepEqual(
      run.log('files').map((f) => [f.seen_bytes, f.md5]),
      python,
    );
  } finally {
    run.cleanup();
  }
  const ndpi = await runCaptures([corpus('ndpi', 'pcap', 'smtp.pcap')]);
  try {
    assert.deepEqual(
      ndpi.log('files').map((f) => [f.depth, f.mime_type, f.seen_bytes, f.md5]),
      [[1, 'text/plain', 5345, 'bdc9c920029363c3144f4116be19e870']],
    );
  } finally {
    ndpi.cleanup();
  }
});

test('SMTP with attachments (generated: curl to Python smtpd): base64 parts decoded and hashed; a DICOM attachment is patient data in clear', async () => {
  // test/fixtures/generated/smtpmime/build-message.py printed these from the bytes it sent.
  const want = [
    [3, 'text/plain', undefined, 98, '73137a8a2cd45dada46487cd82022d5c', '1385be5806d679c85aa38f28ec5bccfe081c4512affb2afa1523b5521fd9b377'],
    [4, 'text/html', undefined, 99, '796be06d25a43a1c73d727e3e15352bd', '1df8b7acba442ea7550999ebf8c0ce75658f324d7e6eff7486015d3657d1f49e'],
    [5, 'application/dicom', 'study-0001.dcm', 722, '55d19e48ee178db4d16ab150747e2c48', 'db739b3dd929a06832c95171da9967af85e195b7e3f432d7c813f783fe7b19fc'],
    [6, 'application/pdf', 'report-0001.pdf', 619, 'dfed6623281e1dd0901821c0d1deffca', 'af177df788b4057385718c6a29b62130ba203b562c1dfd198c67236f09961c20'],
  ];
  const a = await assessCaptures([join(GEN, 'generated-smtp-mime.pcap')]);
  try {
    const files = a.run.log('files');
    assert.deepEqual(
      files.map((f) => [f.depth, f.mime_type, f.filename, f.seen_bytes, f.md5, f.sha256]),
      want,
    );
    assert.ok(files.every((f) => f.source === 'SMTP' && f.is_orig === true && f.missing_bytes === 0));
    const phi = a.result.findings.filter((x) => x.rule === 'phi-cleartext');
    assert.equal(phi.length, 1);
    assert.ok(phi[0].evidence.some((e) => String(e.value).endsWith(`, in a DICOM file sent over SMTP (files.log ${files[2].fuid})`)), JSON.stringify(phi[0].evidence));
    const out = readFileSync(join(a.run.outDir, 'logs', 'files.log'), 'utf8') + readFileSync(join(a.run.outDir, 'logs', 'smtp.log'), 'utf8') + JSON.stringify(a.result);
    assert.ok(!out.includes('ZZTESTPATIENT') && !out.includes('WLPID9876543'), 'no patient value in any output');
  } finally {
    a.run.cleanup();
  }
});

test('SMTP BDAT (generated: smtplib chunks to Postfix 3.7 smtpd): the chunks read as one message, cut mid-field and mid-base64; a second message on the connection', async () => {
  // test/fixtures/generated/smtpbdat: the smtpmime message in three chunks (1,100 + 800 + 1,382
  // bytes: the first cut falls inside the DICOM part's Content-Transfer-Encoding field name, the
  // second inside its base64), then "All studies sent." alone. Hashes: build-message.py's, and
  // md5 of the 19 bytes of text.
  const a = await assessCaptures([join(GEN, 'generated-smtp-bdat.pcap')]);
  try {
    const files = a.run.log('files');
    assert.deepEqual(
      files.map((f) => [f.depth, f.mime_type, f.filename, f.seen_bytes, f.md5]),
      [
        [3, 'text/plain', undefined, 98, '73137a8a2cd45dada46487cd82022d5c'],
        [4, 'text/html', undefined, 99, '796be06d25a43a1c73d727e3e15352bd'],
        [5, 'application/dicom', 'study-0001.dcm', 722, '55d19e48ee178db4d16ab150747e2c48'],
        [6, 'application/pdf', 'report-0001.pdf', 619, 'dfed6623281e1dd0901821c0d1deffca'],
        [1, 'text/plain', undefined, 19, 'b48c6c6583928524250864b5a84cbea9'],
      ],
    );
    assert.ok(files.every((f) => f.source === 'SMTP' && f.missing_bytes === 0));
    const smtp = a.run.log('smtp');
    // Postfix's replies to the last chunks; the header fields of both messages.
    assert.deepEqual(
      smtp.map((x) => [x.trans_depth, x.rcptto, x.subject, x.msg_id, x.last_reply, x.fuids]),
      [
        [1, ['reading@radiology.example.org'], 'Study 0001 report and key image', '<study-0001@ct3.radiology.example.org>', '250 2.0.0 Ok: 3282 bytes queued as AA3AB162448', files.slice(0, 4).map((f) => f.fuid)],
        [2, ['pacs-admin@radiology.example.org'], 'Export queue empty', '<export-0002@ct3.radiology.example.org>', '250 2.0.0 Ok: 263 bytes queued as AAAD7162449', [files[4].fuid]],
      ],
    );
    assert.deepEqual(a.run.log('weird'), []);
    assert.equal(a.result.findings.filter((x) => x.rule === 'phi-cleartext').length, 1);
  } finally {
    a.run.cleanup();
  }
});

/** Feeds a message (its header and body, CR LF lines) to MimeFiles as the SMTP analyzer does. */
function mimeFiles(message: string, cutShort = false): FileEventLike[] {
  const ctx = new TestContext(6, 50000, 25);
  let n = 0;
  const m = new MimeFiles('SMTP', true, () => n++);
  m.begin();
  const lines = message.split('\r\n');
  let i = 0;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const l = lines[i];
    const c = l.indexOf(':');
    // Unfolded top-level fields, as the SMTP analyzer passes them.
    let v = l.slice(c + 1).trim();
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) v += ' ' + lines[++i].trim();
    m.topField(l.slice(0, c), v);
  }
  m.topHeadersEnd();
  for (i++; i < lines.length; i++) m.line(ctx, Buffer.from(lines[i], 'latin1'));
  m.end(ctx, cutShort);
  return ctx.events.filter((e) => e.type === 'files.file') as unknown as FileEventLike[];
}
interface FileEventLike {
  depth: number;
  filename?: string;
  seen_bytes: number;
  md5?: string;
  mime_type?: string;
}
const md5 = (s: string | Uint8Array): string => createHash('md5').update(s).digest('hex');

test('MIME walk (synthetic): nested multiparts, base64 split anywhere, preamble and epilogue, near-miss boundaries, RFC 2231 names, a part cut short', () => {
  const bin = Buffer.from(Array.from({ length: 1000 }, (_v, k) => (k * 31 + 7) & 0xff));
  const b64 = bin.toString('base64');
  // base64 lines of odd lengths, one with stray spaces: the decoder carries across lines.
  const b64lines = [b64.slice(0, 13), b64.slice(13, 100) + '  ', b64.slice(100, 101), b64.slice(101)].join('\r\n');
  const msg = [
    'From: a@example.org',
    'Content-Type: multipart/mixed;',
    '\tboundary="outer"',
    '',
    'This is the preamble: not a part.',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'line one',
    '--innerX is a line of text, not a delimiter',
    '',
    '--inner--',
    'epilogue of the inner part',
    '--outer',
    'Content-Type: application/octet-stream',
    "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sultat.bin",
    'Content-Transfer-Encoding: base64',
    '',
    b64lines,
    '--outer--',
    'epilogue',
  ].join('\r\n');
  const f = mimeFiles(msg);
  assert.deepEqual(
    f.map((x) => [x.depth, x.filename, x.seen_bytes, x.md5]),
    [
      [3, undefined, 'line one\r\n--innerX is a line of text, not a delimiter\r\n'.length, md5('line one\r\n--innerX is a line of text, not a delimiter\r\n')],
      [4, 'résultat.bin', 1000, md5(bin)],
    ],
  );
  // A message without parts: every line's break is the body's (the last one too).
  const single = mimeFiles('Subject: x\r\n\r\nhello\r\nworld');
  assert.deepEqual(single.map((x) => [x.depth, x.seen_bytes, x.md5]), [[1, 14, md5('hello\r\nworld\r\n')]]);
  // Quoted-printable: soft breaks join lines, =XX decodes, a malformed "=" stays.
  const qp = mimeFiles('Content-Transfer-Encoding: quoted-printable\r\n\r\nna=C3=AFve =\r\ntext =ZZ');
  assert.equal(qp[0].md5, md5(Buffer.concat([Buffer.from('na'), Buffer.from([0xc3, 0xaf]), Buffer.from('ve text =ZZ\r\n')])));
  // Cut short (the connection ended inside the part): counted, not hashed.
  const cut = mimeFiles('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\npartial', true);
  assert.deepEqual(cut.map((x) => [x.seen_bytes, x.md5]), [[7, undefined]]);
  // A multipart without a boundary parameter is one opaque body.
  assert.equal(mimeFiles('Content-Type: multipart/mixed\r\n\r\n--x\r\nbody').length, 1);
});

test('MIME walk survives truncation and mutation of a real message (smtp.pcap)', { skip }, async () => {
  const [s] = (await recordStreams(corpus('zeek', 'traces', 'smtp.pcap'))).filter((x) => x.rPort === 25);
  const t = Buffer.from(s.orig).toString('latin1');
  const start = t.indexOf('\r\nDATA\r\n') + 8;
  const seed = Buffer.from(t.slice(start, t.indexOf('\r\n.\r\n', start)), 'latin1');
  fuzzParser(
    [seed.subarray(0, 4000)],
    (b) => {
      mimeFiles(Buffer.from(b).toString('latin1'));
    },
    { mutations: 100, maxMs: 500 },
  );
});

// ---- TFTP ------------------------------------------------------------------------------------

test('TFTP transfers are files: read and write of rfc1350.txt hash as tshark exports them; a transfer without its last block is not hashed', { skip }, async () => {
  // tshark -r <pcap> --export-objects tftp,<dir>: rfc1350.txt, 24,599 bytes, MD5 dca7766e… in
  // all three captures; it exports nothing of nDPI's one-block netascii zz.bin write.
  const cases: [string[], boolean][] = [
    [['arkime', 'tests', 'pcap', 'tftp_rrq.pcap'], true],
    [['suricata-verify', 'tests', 'tftp-tx-handling-wrq', 'input.pcap'], false],
  ];
  for (const [path, serverSends] of cases) {
    const run = await runCaptures([corpus(...path)]);
    try {
      const f = run.log('files');
      assert.deepEqual(
        f.map((x) => [x.source, x.filename, x.seen_bytes, x.missing_bytes, x.md5]),
        [['TFTP', 'rfc1350.txt', 24599, 0, 'dca7766edd1e4976cac5e64fcaeec1fd']],
        path.join('/'),
      );
      // The file is on the transfer flow (tftp.log uid_data), sent by the server on a read.
      const t = run.log('tftp')[0];
      assert.equal(f[0].uid, t.uid_data);
      assert.equal(f[0].is_orig, serverSends, 'the transfer flow starts with the server');
    } finally {
      run.cleanup();
    }
  }
  const run = await runCaptures([corpus('ndpi', 'pcap', 'tftp.pcap')]);
  try {
    const zz = run.log('files').find((x) => x.filename === 'zz.bin')!;
    assert.deepEqual([zz.seen_bytes, zz.md5], [512, undefined]);
  } finally {
    run.cleanup();
  }
});

// ---- HTTP multipart bodies ------------------------------------------------------------------------

test("a multipart HTTP upload's part is the file (putty-upload.pcap: Zeek's intel test sees putty.exe as a file name)", { skip }, async () => {
  const run = await runCaptures([corpus('zeek', 'traces', 'http', 'putty-upload.pcap')]);
  try {
    const up = run.log('files').filter((f) => f.is_orig === true);
    // The capture holds the first 81,920 bytes of a 1,648,120-byte body: the part is cut short, unhashed.
    assert.deepEqual(up.map((f) => [f.filename, f.mime_type, f.md5]), [['putty.exe', 'application/x-dosexec', undefined]]);
    const http = run.log('http').find((h) => h.method === 'POST')!;
    assert.deepEqual(http.orig_filenames, ['putty.exe']);
    assert.deepEqual(http.orig_fuids, [up[0].fuid]);
  } finally {
    run.cleanup();
  }
});

test('multipart parts (synthetic): every split of the body, near-miss boundaries in binary data, preamble and epilogue; each part hashes as itself', () => {
  const boundary = '----WebKitFormBoundaryAe47vGj7';
  const bin = Buffer.from(Array.from({ length: 3000 }, (_v, k) => (k * 131 + 17) & 0xff));
  // Near misses: the delimiter's start inside the data, one byte short or wrong.
  const tricky = Buffer.concat([bin.subarray(0, 1000), Buffer.from(`\r\n--${boundary.slice(0, -1)}X\r\n--${boundary.slice(0, 10)}`), bin.subarray(1000)]);
  const body = Buffer.concat([
    Buffer.from('preamble, ignored\r\n'),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fw"; filename="pump-fw-2.1.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    tricky,
    Buffer.from(`\r\n--${boundary}--\r\nepilogue\r\n--${boundary}\r\nnot a part\r\n`),
  ]);
  const md5h = (b: Uint8Array | string): string => createHash('md5').update(b).digest('hex');
  const want = [
    [undefined, 5, md5h('hello')],
    ['pump-fw-2.1.bin', tricky.length, md5h(tricky)],
  ];
  const r = rng(3);
  for (let round = 0; round < 200; round++) {
    const ctx = new TestContext(6, 50000, 80);
    let n = 0;
    const t = new MultipartTap({ source: 'HTTP', isOrig: true, depth: 1 }, boundary, () => n++);
    // Round 0 byte by byte; then chunks of random sizes, so the delimiter is split everywhere.
    for (let p = 0; p < body.length; ) {
      const k = round === 0 ? 1 : 1 + Math.floor(r() * 120);
      t.add(ctx, body, p, Math.min(k, body.length - p));
      p += k;
    }
    const got = t.close(ctx).map((e) => [e.filename, e.seen_bytes, e.md5]);
    assert.deepEqual(got, want, `round ${round}`);
  }
  // A body labelled multipart without any delimiter (a malformed message) is one file, whole.
  {
    const ctx = new TestContext(6, 50000, 80);
    const plain = Buffer.from('no parts in this body at all');
    const t = new MultipartTap({ source: 'HTTP', isOrig: true, total: plain.length }, 'nowhere', () => 0);
    t.add(ctx, plain, 0, 10);
    t.add(ctx, plain, 10, plain.length - 10);
    assert.deepEqual(t.close(ctx).map((e) => [e.seen_bytes, e.md5]), [[plain.length, md5h(plain)]]);
  }
  // A body that ends inside a part: that part is cut short, unhashed.
  const ctx = new TestContext(6, 50000, 80);
  const t = new MultipartTap({ source: 'HTTP', isOrig: true }, 'b', () => 0);
  const cut = Buffer.from('--b\r\n\r\npartial');
  t.add(ctx, cut, 0, cut.length);
  assert.deepEqual(t.close(ctx).map((e) => [e.seen_bytes, e.md5]), [[7, undefined]]);
});

test("multipart parts survive truncation and mutation of a real upload body (Arkime's http-post-upload)", { skip }, () => {
  const t = JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'http-post-upload.test'), 'utf8')) as { sessions3: { body: { http: { requestBody: string[] } } }[] };
  const body = Buffer.from(t.sessions3[0].body.http.requestBody[0], 'latin1');
  fuzzParser(
    [body],
    (b) => {
      const ctx = new TestContext(6, 50000, 80);
      const m = new MultipartTap({ source: 'HTTP', isOrig: true }, '----WebKitFormBoundaryAe47vGj7ybAe6RwO', () => 0);
      const half = b.length >> 1;
      m.add(ctx, b, 0, half);
      m.gap(3);
      m.add(ctx, b, half, b.length - half);
      m.close(ctx);
    },
    { mutations: 200 },
  );
});

// ---- Updates received in clear (insecure-update) -------------------------------------------------

test('firmware fetched over TFTP and HTTP by a medical device (generated): insecure-update with the images\' hashes; not for a workstation', async () => {
  // test/fixtures/generated/firmware/generate.sh: tftp-hpa and Python's http.server, md5sum and
  // sha256sum of both images. The device's category is set here (an infusion pump): the
  // generated traffic has nothing that names one (synthetic category, real transfers).
  const pcap = join(GEN, 'generated-firmware-cleartext.pcap');
  const as = (category: 'infusion_pump' | 'workstation') => assessCaptures([pcap], { devices: (ds) => ds.map((d) => (d.ips.includes('10.96.0.20') ? { ...d, category, medical: category === 'infusion_pump' } : d)) });
  const a = await as('infusion_pump');
  try {
    const files = a.run.log('files');
    assert.deepEqual(
      files.map((f) => [f.source, f.seen_bytes, f.md5]),
      [
        ['TFTP', 300000, 'cfa60b1080d81159541418582bff0c78'],
        ['HTTP', 200000, 'a30c2246de6e0a11dd1c0cb816e4d4f8'],
      ],
    );
    const f = a.result.findings.filter((x) => x.rule === 'insecure-update');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'high');
    assert.equal(f[0].title, 'Software or firmware received without encryption or authentication (HTTP, TFTP)');
    assert.deepEqual(
      f[0].evidence.map((e) => e.value),
      [
        `pump-fw-3.2.1.bin from 10.96.0.2 over TFTP (type unknown, 300000 bytes, SHA-256 a7503f7541991897b28abc76497ed8c44f37714018c54899c025171859c388f6; files.log ${String(files[0].fuid)})`,
        `monitor-sw-7.1.swu from 10.96.0.2 over HTTP (type unknown, 200000 bytes, SHA-256 43aab272026d07024928b1a7a4ff8dc9b29d0576376dc7bc52dce5a6603048c0; files.log ${String(files[1].fuid)})`,
      ],
    );
  } finally {
    a.run.cleanup();
  }
  // A workstation fetching an update over HTTP is Windows Update's and APT's way (signed packages): not judged.
  const w = await as('workstation');
  try {
    assert.deepEqual(w.result.findings.filter((x) => x.rule === 'insecure-update'), []);
  } finally {
    w.run.cleanup();
  }
});

test("isUpdateFile: programs, update bundles and firmware images by bytes or name; documents and data are not", () => {
  assert.ok(isUpdateFile('application/x-dosexec', undefined));
  assert.ok(isUpdateFile(undefined, 'SIP88xx.14-1-1.loads'));
  assert.ok(isUpdateFile(undefined, 'pump-fw-3.2.1.BIN'));
  assert.ok(isUpdateFile('application/vnd.ms-cab-compressed', 'x'));
  assert.ok(!isUpdateFile('application/pdf', 'report.pdf'));
  assert.ok(!isUpdateFile('text/plain', 'rfc1350.txt'));
  assert.ok(!isUpdateFile(undefined, 'bin'));
});
