import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';
import { DEFAULT_KB_DIR, KnowledgeBase } from './kb.js';
import { parseMac } from './vendor.js';
import { KB_DIR } from './testutil.js';

const kb = KnowledgeBase.load();

test('KnowledgeBase.load() finds the repository knowledge/ folder from its own location', () => {
  assert.equal(DEFAULT_KB_DIR, KB_DIR);
  assert.equal(kb.dir, KB_DIR);
});

test('sources() lists every feed with its version, date and the records actually read', () => {
  assert.equal(kb.version, 'wardline-kb-1');
  assert.deepEqual(kb.sources(), [
    { name: 'ieee-ra', version: '20220827', date: '2022-08-27', records: 46521 },
    { name: 'wireshark-manuf', version: '4.0.17', date: '2024-08-25', records: 52417 },
    { name: 'p0f', version: '3.09b', date: '2016-04-16', records: 322 },
    { name: 'satori', version: '73fa88fe', date: '2025-12-23', records: 1847 },
    { name: 'endoflife', version: 'a70eca33', date: '2026-08-19', records: 541 },
    { name: 'cisa-kev', version: '2025.08.25', date: '2025-08-25', records: 1404 },
    { name: 'nvd', version: '2026-06-17', date: '2026-06-17', records: 49 },
    { name: 'cve-vulnrichment', version: 'b0ed7583', date: '2024-10-22', records: 32 },
    { name: 'cisa-csaf', version: '6960219f', date: '2024-09-10', records: 144 },
    { name: 'defaultcreds', version: '2e48382f', date: '2026-11-28', records: 3766 },
  ]);
  assert.equal(kb.date, '2026-11-28');
});

test('every feed folder ships its licence and a SOURCES note', () => {
  for (const [dir, licence] of [['ieee-data', 'copyright'], ['wireshark', 'COPYING'], ['p0f', 'COPYING'], ['satori', 'LICENSE'], ['endoflife', 'LICENSE'], ['cisa-kev', 'LICENSE'], ['cve-vulnrichment', 'LICENSE'], ['defaultcreds', 'LICENSE'], ['nvd', 'SOURCES.md'], ['cisa-csaf', 'SOURCES.md']]) {
    assert.ok(readFileSync(join(KB_DIR, dir, licence), 'utf8').length > 100, `${dir}/${licence}`);
    assert.match(readFileSync(join(KB_DIR, dir, 'SOURCES.md'), 'utf8'), /Licence:/, `${dir}/SOURCES.md`);
  }
});

test('the facade answers each kind of lookup', () => {
  assert.equal(kb.vendorOf(parseMac('00:00:0c:00:00:01')!)?.short, 'Cisco');
  assert.equal(kb.matchTcpSyn({ ver: 4, ttl: 128, olen: 0, mss: 1460, win: 8192, wscale: 8, olayout: 'mss,nop,ws,nop,nop,sok', quirks: new Set(['df', 'id+']), payloadClass: 0, isResponse: false })?.os, 'Windows 7 or 8');
  assert.equal(kb.matchDhcp({ messageType: 'Request', param55: [1, 6, 15, 44, 3, 33, 150, 43] })[0]?.name, 'Cisco Aironet 1130');
  const w = kb.windowsRelease(6, 1, 7601)!;
  assert.equal(kb.eolOf(w.product, w.cycle)?.eol, '2020-01-14');
});

/** A throw-away copy of knowledge/ to damage. */
function copyKb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-kb-'));
  cpSync(KB_DIR, dir, { recursive: true });
  return dir;
}

test('load() refuses a folder whose feed no longer matches the manifest counts', () => {
  const dir = copyKb();
  try {
    const oui = join(dir, 'ieee-data', 'oui.csv');
    const lines = readFileSync(oui, 'utf8').split('\n');
    writeFileSync(oui, lines.slice(0, -100).join('\n'));
    assert.throws(
      () => KnowledgeBase.load({ dir }),
      (e: unknown) => e instanceof KnowledgeError && e.code === 'kb.manifest_mismatch' && e.entry.record === 'ieee-ra' && /manifest says 46521 assignments/.test(e.message),
    );
    const read = KnowledgeBase.load({ dir, checkManifest: false }).counts.get('ieee-ra')?.records ?? 0;
    assert.ok(read > 46000 && read < 46521, `read ${read}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load() refuses a missing feed file, naming it', () => {
  const dir = copyKb();
  try {
    rmSync(join(dir, 'p0f', 'p0f.fp'));
    assert.throws(() => KnowledgeBase.load({ dir }), (e: unknown) => e instanceof KnowledgeError && e.code === 'kb.missing_file' && e.file === join(dir, 'p0f', 'p0f.fp'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load() refuses a malformed manifest', () => {
  const dir = copyKb();
  try {
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    m.sources[2].date = 'April 2016';
    writeFileSync(path, JSON.stringify(m));
    assert.throws(() => KnowledgeBase.load({ dir }), /manifest\.json \(record "p0f"\): date must be YYYY-MM-DD/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
