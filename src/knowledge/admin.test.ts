// kb list / check / import on throw-away copies of knowledge/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkKb, detectFeed, importFeeds, listKb } from './admin.js';
import { KnowledgeError } from './errors.js';
import { KnowledgeBase } from './kb.js';
import { KB_DIR } from './testutil.js';

function withCopy(fn: (dir: string, scratch: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'wardline-admin-'));
  const dir = join(root, 'kb');
  try {
    cpSync(KB_DIR, dir, { recursive: true });
    fn(dir, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('listKb() lists every source of the manifest and the knowledge base date', () => {
  const l = listKb();
  assert.deepEqual(l.sources.map((s) => s.name), ['ieee-ra', 'wireshark-manuf', 'p0f', 'satori', 'endoflife', 'cisa-kev', 'nvd', 'cve-vulnrichment', 'cisa-csaf', 'defaultcreds']);
  assert.equal(l.date, '2026-11-28');
  assert.equal(l.sources.find((s) => s.name === 'cisa-csaf')?.records, 144);
});

test('checkKb() passes on the repository folder and names what is wrong in a damaged one', () => {
  assert.deepEqual(checkKb().problems, []);
  withCopy((dir) => {
    rmSync(join(dir, 'cisa-kev', 'LICENSE'));
    const kev = join(dir, 'nvd', 'CVE-2014-0160.json');
    writeFileSync(kev, readFileSync(kev, 'utf8').replace('"lastModified"', '"lastModifiedX"'));
    const r = checkKb(dir);
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.includes('CVE-2014-0160.json') && p.includes('lastModified')), r.problems.join('\n'));
    assert.ok(r.problems.some((p) => p.endsWith('cisa-kev/LICENSE: missing licence file')), r.problems.join('\n'));
  });
});

test('detectFeed() recognises each supported feed by its content', () => {
  const read = (p: string) => readFileSync(join(KB_DIR, p), 'utf8');
  assert.equal(detectFeed(read('cisa-kev/known_exploited_vulnerabilities.json'), 'a').source, 'cisa-kev');
  assert.deepEqual(detectFeed(read('nvd/CVE-2019-0708.json'), 'b'), { source: 'nvd', dest: 'nvd/CVE-2019-0708.json', records: 1, date: '2025-10-21' });
  assert.equal(detectFeed(read('cve-vulnrichment/2023/30xxx/CVE-2023-30563.json'), 'c').dest, 'cve-vulnrichment/2023/30xxx/CVE-2023-30563.json');
  assert.equal(detectFeed(read('cisa-csaf/2020/icsma-20-296-02.json'), 'd').dest, 'cisa-csaf/2020/icsma-20-296-02.json');
  assert.equal(detectFeed(read('defaultcreds/DefaultCreds-Cheat-Sheet.csv'), 'e').source, 'defaultcreds');
  assert.equal(detectFeed(read('endoflife/products/windows.md'), 'f').dest, 'endoflife/products/windows.md');
  assert.equal(detectFeed(read('ieee-data/mam.csv'), 'g').dest, 'ieee-data/mam.csv');
  assert.equal(detectFeed(read('satori/fingerprints/smb.xml'), 'h').dest, 'satori/fingerprints/smb.xml');
  assert.equal(detectFeed(read('p0f/p0f.fp'), 'i').source, 'p0f');
  assert.equal(detectFeed(read('wireshark/manuf'), 'j').source, 'wireshark-manuf');
  assert.throws(() => detectFeed('{"hello": 1}', 'x.json'), (e: unknown) => e instanceof KnowledgeError && e.file === 'x.json');
  assert.throws(() => detectFeed('plain text', 'x.txt'), /not a supported feed/);
});

test('importFeeds() takes a newer KEV catalog (gzip too), updates the manifest, and the folder loads', () => {
  withCopy((dir, root) => {
    const raw = JSON.parse(readFileSync(join(KB_DIR, 'cisa-kev', 'known_exploited_vulnerabilities.json'), 'utf8'));
    raw.catalogVersion = '2025.09.01';
    raw.dateReleased = '2025-09-01T12:00:00.000Z';
    raw.vulnerabilities.unshift({ ...raw.vulnerabilities[0], cveID: 'CVE-2025-99999', dateAdded: '2025-09-01', dueDate: '2025-09-22' });
    raw.count = raw.vulnerabilities.length;
    const file = join(root, 'kev.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(raw)));
    const r = importFeeds([file], dir);
    assert.deepEqual(r, [{ file, source: 'cisa-kev', dest: 'cisa-kev/known_exploited_vulnerabilities.json', records: 1405, replaced: true }]);
    const kb = KnowledgeBase.load({ dir });
    assert.equal(kb.kev.entries.size, 1405);
    const s = kb.manifest.sources.find((x) => x.name === 'cisa-kev')!;
    assert.deepEqual([s.version, s.date, s.records], ['2025.09.01', '2025-09-01', 1405]);
  });
});

test('importFeeds() adds a new NVD record and a new CSAF advisory as files of their own', () => {
  withCopy((dir, root) => {
    const rec = JSON.parse(readFileSync(join(KB_DIR, 'nvd', 'CVE-2020-0796.json'), 'utf8'));
    rec.id = 'CVE-2020-9999';
    const f1 = join(root, 'new.json');
    writeFileSync(f1, JSON.stringify(rec));
    const adv = JSON.parse(readFileSync(join(KB_DIR, 'cisa-csaf', '2020', 'icsma-20-296-02.json'), 'utf8'));
    adv.document.tracking.id = 'ICSMA-25-001-01';
    adv.document.tracking.current_release_date = '2025-01-01T00:00:00Z';
    const f2 = join(root, 'adv.json');
    writeFileSync(f2, JSON.stringify(adv));
    const r = importFeeds([f1, f2], dir);
    assert.deepEqual(r.map((x) => [x.dest, x.replaced]), [['nvd/CVE-2020-9999.json', false], ['cisa-csaf/2025/icsma-25-001-01.json', false]]);
    const kb = KnowledgeBase.load({ dir });
    assert.equal(kb.nvd.records.size, 50);
    assert.equal(kb.csaf.length, 145);
    assert.ok(existsSync(join(dir, 'nvd', 'CVE-2020-9999.json')));
  });
});

test('importFeeds() leaves the folder untouched when a file is malformed', () => {
  withCopy((dir, root) => {
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const bad = join(root, 'creds.csv');
    writeFileSync(bad, 'productvendor,username,password\nAcme,admin,admin\nBroken,line\n');
    assert.throws(() => importFeeds([bad], dir), (e: unknown) => e instanceof KnowledgeError && e.file === bad && e.entry.line === 3);
    assert.equal(readFileSync(join(dir, 'manifest.json'), 'utf8'), before);
    assert.equal(KnowledgeBase.load({ dir }).defaultCredentials.length, 3766);
  });
});
