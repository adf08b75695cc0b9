// Ransomware over SMB on test/fixtures/generated/generated-smb-ransomware.pcap (Samba and
// smbclient; see the README entry): the infected workstation 10.98.1.20 rewrites and renames 30
// documents to *.locked, copies 10 more to *.locked and deletes the originals, and leaves a note
// in three folders; 10.98.1.30 copies 40 new scans and renames two; 10.98.1.40 reads a folder;
// 10.98.1.50 encrypts and renames 20 images over SMB1. Expectations: tshark 4.0's SET_INFO renames,
// delete-on-close CREATEs and SMB1 RENAME requests (ransomware/tshark.tsv)
// and what the share held afterwards (ransomware/files-after.txt), not wardline's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import { extensionOf, newExtension } from './ransomware.js';
import { testConn } from '../testutil/conn.js';
import { PacketMeta } from '../decode/packet.js';
import { recordStreams, splitPdus, TestContext } from '../testutil/recorded.js';
import { fuzzParser } from '../testutil/fuzz.js';
import { nbssLength } from '../analyzers/smb/parse.js';
import * as s2 from '../analyzers/smb/smb2.js';
import * as s1 from '../analyzers/smb/smb1.js';
import { SmbAnalyzer } from '../analyzers/smb/analyzer.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(DIR, 'generated-smb-ransomware.pcap');

interface Row {
  frame: number;
  src: string;
  kind: string;
  name: string;
  /** SMB1 RENAME: the old name. */
  old: string;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'ransomware', 'tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), src: f[1], kind: f[2], name: f[3] ?? '', old: f[4] ?? '' };
    });
}

test('smb_files: every rename and delete tshark decodes, with the name before the rename', async () => {
  const r = rows();
  const run = await runCaptures([PCAP]);
  try {
    const files = run.log('smb_files');
    const renames = files.filter((f) => f.action === 'SMB::FILE_RENAME');
    const tRenames = r.filter((x) => x.kind === 'rename');
    assert.equal(tRenames.length, 32);
    // SMB1's paths start at the share root ("\\exports\\img-001.dcm"): logged without the leading backslash, as SMB2's are.
    const smb1 = r.filter((x) => x.kind === 'smb1_rename');
    assert.equal(smb1.length, 20);
    assert.deepEqual(renames.map((f) => f.name).sort(), [...tRenames.map((x) => x.name), ...smb1.map((x) => x.name.replace(/^\\/, ''))].sort());
    assert.deepEqual(renames.filter((f) => f['id.orig_h'] === '10.98.1.50').map((f) => f.prev_name).sort(), smb1.map((x) => x.old.replace(/^\\/, '')).sort());
    // The ransomware's appended extension; the user's own renames keep theirs.
    for (const f of renames) {
      if (f['id.orig_h'] === '10.98.1.20' || f['id.orig_h'] === '10.98.1.50') assert.equal(f.name, `${String(f.prev_name)}.locked`);
    }
    assert.deepEqual(renames.filter((f) => f['id.orig_h'] === '10.98.1.30').map((f) => [f.prev_name, f.name]).sort(), [
      ['scans\\scan-001.pdf', 'scans\\scan-001-left-knee.pdf'],
      ['scans\\scan-002.pdf', 'scans\\scan-002-chest.pdf'],
    ]);
    const deletes = files.filter((f) => f.action === 'SMB::FILE_DELETE');
    assert.deepEqual(deletes.map((f) => f.name).sort(), r.filter((x) => x.kind === 'delete_on_close').map((x) => x.name).sort());
    // The share afterwards: the renamed names are the ones there, the deleted ones are gone.
    const after = readFileSync(join(DIR, 'ransomware', 'files-after.txt'), 'utf8');
    for (const f of renames) assert.ok(after.includes(String(f.name).split('\\').pop()!), String(f.name));
    for (const f of deletes) assert.ok(!after.split('\n').includes(String(f.name).split('\\').pop()!), String(f.name));
  } finally {
    run.cleanup();
  }
});

test('one critical ransomware alert per encrypting client (SMB 3.1.1 and SMB1); the user filing scans and the backup raise none', async () => {
  const r = rows();
  const m = new Monitor({ fileName: () => PCAP });
  const run = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const got = m.finish().filter((a) => a.rule === 'ransomware');
  assert.deepEqual(got.map((a) => a.device).sort(), ['ip:10.98.1.20', 'ip:10.98.1.50']);
  const a = got.find((x) => x.device === 'ip:10.98.1.20')!;
  const bad = r.filter((x) => x.src === '10.98.1.20');
  // 30 renames and 10 copies whose originals were deleted: tshark's renames and deletions by the client.
  assert.deepEqual([a.peer, a.severity, a.count], ['10.98.1.2', 'critical', bad.filter((x) => x.kind === 'rename' || x.kind === 'delete_on_close').length]);
  assert.equal(a.evidence[0].packet, bad.find((x) => x.kind === 'rename')!.frame);
  assert.match(a.why, /40 of them to \*\.locked and left "HOW_TO_DECRYPT\.txt" in 3 folders/);
  assert.match(a.why, /on \\\\10\.98\.1\.2\\clinical/);
  const old = got.find((x) => x.device === 'ip:10.98.1.50')!;
  const smb1 = r.filter((x) => x.kind === 'smb1_rename');
  assert.deepEqual([old.severity, old.count, old.evidence[0].packet], ['critical', smb1.length, smb1[0].frame]);
});

test('newExtension: appended and replaced extensions count; filing, temporary files and backups do not (synthetic names)', () => {
  assert.equal(newExtension('a\\report.pdf', 'a\\report.pdf.locked'), 'locked');
  assert.equal(newExtension('a\\report.pdf', 'a\\report.crypt'), 'crypt');
  assert.equal(newExtension('report.pdf', 'report.pdf.id-8F2A.[mail@example.org].eking'), 'eking');
  assert.equal(newExtension('scan-001.pdf', 'scan-001-left-knee.pdf'), null);
  assert.equal(newExtension('letter.docx', 'letter.docx.tmp'), null);
  assert.equal(newExtension('letter.docx', '~WRL0001.tmp'), null);
  assert.equal(newExtension('draft.docx', 'final.docx'), null);
  assert.equal(newExtension('data.csv', 'data.csv.bak'), null);
  assert.equal(newExtension('scan.tif', 'scan.tiff'), null, 'a conversion to an ordinary file type');
  assert.equal(newExtension('export.txt', 'export.txt.zip'), null);
  assert.equal(extensionOf('dir.v2\\noext'), '');
});

test('copy first or delete first, renames below the threshold, and an installer renaming to .old (synthetic events)', () => {
  const run = (events: { action: string; name: string; prev?: string }[]) => {
    const m = new Monitor({ fileName: () => 'synthetic' });
    const c = testConn(6);
    const meta = new PacketMeta();
    events.forEach((e, i) => {
      meta.packetNo = i + 1;
      meta.ts = 1000 + i * 0.01;
      m.onEvent({ type: 'smb.file', action: e.action, name: e.name, prev_name: e.prev, path: '\\\\fs\\share', size: 10, tsSec: 1000, tsNsec: 0, packet: i + 1 }, c, meta);
    });
    return m.finish().filter((a) => a.rule === 'ransomware');
  };
  const copyFirst = Array.from({ length: 20 }, (_, i) => [
    { action: 'SMB::FILE_WRITE', name: `d\\f${i}.xlsx.crypt` },
    { action: 'SMB::FILE_DELETE', name: `d\\f${i}.xlsx` },
  ]).flat();
  assert.equal(run(copyFirst)[0]?.count, 20);
  const deleteFirst = Array.from({ length: 20 }, (_, i) => [
    { action: 'SMB::FILE_DELETE', name: `d\\f${i}.xlsx` },
    { action: 'SMB::FILE_WRITE', name: `d\\f${i}.xlsx.crypt` },
  ]).flat();
  assert.equal(run(deleteFirst)[0]?.count, 20);
  const few = Array.from({ length: 19 }, (_, i) => ({ action: 'SMB::FILE_RENAME', name: `d\\f${i}.pdf.locked`, prev: `d\\f${i}.pdf` }));
  assert.deepEqual(run(few), []);
  const installer = Array.from({ length: 200 }, (_, i) => ({ action: 'SMB::FILE_RENAME', name: `app\\lib${i}.dll.old`, prev: `app\\lib${i}.dll` }));
  assert.deepEqual(run(installer), []);
  // A few files changed and a note in three folders is enough.
  const noted = [...few.slice(0, 5), ...['a', 'b', 'c'].map((d) => ({ action: 'SMB::FILE_WRITE', name: `${d}\\README_TO_RESTORE.html` }))];
  assert.match(run(noted)[0]?.why ?? '', /left "README_TO_RESTORE\.html" in 3 folders/);
});

test("SET_INFO and delete-on-close parsing survives truncation and mutation of the capture's real SMB messages", async () => {
  const streams = await recordStreams(PCAP);
  const infected = streams.find((s) => s.rPort === 445 && s.orig.length > 10_000)!;
  // The client's messages that carry a SET_INFO (command 0x11) or a CREATE (0x05): the seeds.
  const seeds = splitPdus(infected.orig, nbssLength).filter((m) => m.length > 4 + 64 && (m[4 + 12] === 0x11 || m[4 + 12] === 0x05)).slice(0, 24);
  assert.ok(seeds.some((m) => m[4 + 12] === 0x11 && s2.parseSetInfoRequest(m, 4, m.length - 4)?.action === 'rename'));
  // SMB1 RENAME requests (command 0x07) of the old workstation.
  const smb1 = streams.flatMap((s) => splitPdus(s.orig, nbssLength)).filter((m) => m.length > 4 + 32 && m[4] === 0xff && m[4 + 4] === 0x07).slice(0, 8);
  assert.ok(smb1.length > 0);
  fuzzParser(
    [...seeds, ...smb1],
    (b) => {
      s2.parseSetInfoRequest(b, 4, b.length - 4);
      s2.parseCreateRequest(b, 4, b.length - 4);
      const h = s1.parseSmb1Header(b, 4, b.length - 4);
      const blk = h === null ? null : s1.smb1Block(b, 4, b.length - 4, 4 + s1.SMB1_HEADER_LEN);
      if (h !== null && blk !== null) {
        s1.parseRenameRequest(b, 4, h, blk);
        s1.parseDeleteRequest(b, 4, h, blk);
      }
    },
    { mutations: 200 },
  );
  // The CREATE, SET_INFO and RENAME messages as one client stream, mutated and replayed through the analyzer.
  const seed = Buffer.concat([...seeds, ...smb1]);
  fuzzParser(
    [seed],
    (b) => {
      const a = new SmbAnalyzer();
      const ctx = new TestContext();
      a.data(ctx, true, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 30, maxMs: 500 },
  );
});

test('backup-deletion: the workstation that deletes a Veeam chain and an Acronis image, not the backup server pruning its own chain nor a user tidying exports (generated-smb-backup-deletion.pcap)', async () => {
  // backup/generate.sh: 10.98.2.30 writes an incremental and deletes the oldest; 10.98.2.20
  // deletes six backup files; 10.98.2.40 deletes twelve CSV exports. Expectations: tshark's
  // delete-on-close CREATEs and WRITE requests (backup/tshark.tsv).
  const pcap = join(DIR, 'generated-smb-backup-deletion.pcap');
  const t = readFileSync(join(DIR, 'backup', 'tshark.tsv'), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  const writers = new Set(t.filter((r) => r[2] === 'write').map((r) => r[1]));
  const backupDeletes = t.filter((r) => r[2] === 'delete_on_close' && /\.(vbk|vib|tibx)$/i.test(r[3]));
  const want = [...new Set(backupDeletes.map((r) => r[1]))].filter((ip) => !writers.has(ip) && backupDeletes.filter((r) => r[1] === ip).length >= 3);
  assert.deepEqual(want, ['10.98.2.20']);
  const m = new Monitor({ fileName: () => pcap });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const alerts = m.finish();
  const bd = alerts.filter((a) => a.rule === 'backup-deletion');
  assert.deepEqual(bd.map((a) => [a.device, a.peer, a.severity, a.count]), [['ip:10.98.2.20', '10.98.2.2', 'high', 6]]);
  // The first deletions are the evidence (up to maxEvidence).
  assert.ok(bd[0].evidence.length >= 3);
  assert.deepEqual(
    bd[0].evidence.map((e) => e.packet),
    backupDeletes.filter((r) => r[1] === '10.98.2.20').map((r) => Number(r[0])).slice(0, bd[0].evidence.length),
  );
  assert.match(bd[0].why, /deleted 6 backup files on \\\\10\.98\.2\.2\\backups .* wrote none there/);
  // No ransomware: nothing was renamed or encrypted.
  assert.equal(alerts.filter((a) => a.rule === 'ransomware').length, 0);
});

test('backup-deletion: a host in backupAllow (a media server whose retention deletes before it writes) raises nothing (generated-smb-backup-deletion.pcap)', async () => {
  // The same capture, with the deleting host listed as a backup server: its six deletions are retention.
  const pcap = join(DIR, 'generated-smb-backup-deletion.pcap');
  const m = new Monitor({ fileName: () => pcap, config: { backupAllow: ['10.98.2.20/32'] } });
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  assert.deepEqual(m.finish().filter((a) => a.rule === 'backup-deletion'), []);
});
