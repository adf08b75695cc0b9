// File analysis (files.log) on real captures, expectations from the peers: Zeek's file-analysis
// baselines (MD5/SHA-1/SHA-256, media type, sizes of the HTTP POST and FTP RETR files), Zeek's
// files.log of the same FTP transfer, Arkime's http md5 of five captures, tshark's
// --export-objects http for gzip-encoded bodies (decoded first, as Zeek and tshark do), and a
// DICOM file fetched over HTTP and uploaded over FTP on loopback by real servers
// (test/fixtures/generated/dicomfile, hashes from md5sum/sha256sum there). The media-type table
// and the Content-Disposition parser are checked on synthetic bytes: no capture holds every magic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { assessCaptures } from '../../assess/testutil.js';
import { dispositionFilename } from '../http/analyzer.js';
import { derivedUid } from '../../flow/uid.js';
import { dicomFilePatientTags } from './file.js';
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

test("HTTP bodies hash as Arkime's http md5 says, on five of its captures", { skip }, async () => {
  for (const name of ['http-simple-get', 'http-post-upload', 'http-empty-useragent', 'socks-http-pass', 'ntlm_synthetic']) {
    const t = readFileSync(corpus('arkime', 'tests', 'pcap', `${name}.test`), 'utf8');
    const want = new Set<string>();
    for (const m of t.matchAll(/"md5" : \[([^\]]*)\]/g)) for (const h of m[1].match(/[0-9a-f]{32}/g) ?? []) want.add(h);
    assert.ok(want.size > 0, name);
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
