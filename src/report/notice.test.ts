// logs/notice.log: each finding as a Zeek notice. Field names are checked against Zeek's own
// notice.log (a corpus baseline's #fields line); the findings are those of a generated capture
// (hydra guessing FTP passwords: clear-text protocol, clear-text credentials, brute force).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';
import { noteName, noticeLog } from './notice.js';

const HYDRA = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'generated-hydra-ftp.pcap');
/** wardline's fields beyond Zeek's Notice::Info. */
const EXTRA = ['rule', 'severity', 'device', 'finding_id'];

test('note names are Zeek enums in the Wardline module', () => {
  assert.equal(noteName('cleartext-credentials'), 'Wardline::Cleartext_Credentials');
  assert.equal(noteName('eol-os'), 'Wardline::Eol_Os');
  assert.equal(noteName('scan'), 'Wardline::Scan');
});

test('one notice per finding, in time order, with Zeek notice.log field names and no password', async () => {
  const { report } = await runPipeline([HYDRA], { outDir: null, kb: testKb() }, INVENTORY);
  const lines = noticeLog(report).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, report.findings.length);
  assert.deepEqual(lines.map((l) => l.finding_id).sort(), report.findings.map((f) => f.id).sort());
  assert.deepEqual(lines.map((l) => l.rule).sort(), ['brute-force', 'cleartext-credentials', 'cleartext-protocol']);
  for (let i = 1; i < lines.length; i++) assert.ok((lines[i].ts as number) >= (lines[i - 1].ts as number));
  for (const l of lines) {
    const f = report.findings.find((x) => x.id === l.finding_id)!;
    assert.equal(l.note, noteName(f.rule));
    assert.equal(l.msg, f.detail);
    assert.equal(l.severity, f.severity);
    assert.equal(l.src, '127.0.0.1');
    assert.deepEqual(l.actions, ['Notice::ACTION_LOG']);
    assert.equal(l.suppress_for, 3600);
    // The time of the finding's first evidence from the capture.
    assert.equal(l.ts, Math.min(...f.evidence.filter((e) => e.packet > 0).map((e) => e.ts)));
  }
  // The FTP account's password, the last word hydra tried (wordlist.txt), is never written.
  const words = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'wordlist.txt'), 'utf8').trim().split('\n');
  assert.ok(!noticeLog(report).includes(words[words.length - 1]));
});

test("notice.log's fields are Zeek's notice.log fields, in Zeek's order, and wardline's four", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const base = readFileSync(corpus('zeek', 'baselines', 'scripts.policy.protocols.ssl.expiring-certs', 'notice.log'), 'utf8');
  const zeek = base.split('\n').find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  assert.ok(zeek.includes('note') && zeek.includes('suppress_for'));
  const { report } = await runPipeline([HYDRA], { outDir: null, kb: testKb() }, INVENTORY);
  for (const line of noticeLog(report).trimEnd().split('\n')) {
    const keys = Object.keys(JSON.parse(line) as object);
    const own = keys.filter((k) => !EXTRA.includes(k));
    for (const k of own) assert.ok(zeek.includes(k), `${k} is a Zeek notice field`);
    assert.deepEqual(own, [...own].sort((a, b) => zeek.indexOf(a) - zeek.indexOf(b)), 'Zeek\'s field order');
    assert.deepEqual(keys.slice(own.length), EXTRA);
  }
});
