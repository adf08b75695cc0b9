import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv.js';
import { KnowledgeError } from './errors.js';
import { IEEE_FILES, IeeeRegistries, loadIeee, parseIeeeCsv } from './ieee.js';
import { KB_DIR } from './testutil.js';

const DIR = join(KB_DIR, 'ieee-data');
const OUI = readFileSync(join(DIR, 'oui.csv'), 'utf8');
const MAL = IEEE_FILES[0];

test('loadIeee() indexes all four registries, keeping the first of a repeated assignment', () => {
  const reg = loadIeee(DIR);
  // Record counts of the Debian ieee-data 20220827 files; oui.csv lists 080030 three times and
  // 0001C8 twice (historic reassignments), so 3 of its 32,530 rows are repeats.
  assert.deepEqual(reg.stats.records, { 'MA-L': 32527, 'MA-M': 4390, 'MA-S': 5029, IAB: 4575 });
  assert.equal(reg.stats.duplicates, 3);
  assert.equal(reg.exact(0x080030, 24)?.name, 'NETWORK RESEARCH CORPORATION');
  // A quoted organisation name with a comma.
  assert.equal(reg.exact(0x00000c, 24)?.name, 'Cisco Systems, Inc');
  assert.deepEqual(reg.exact(0x208593b, 28), { registry: 'MA-M', name: 'IOG Products LLC', bits: 28 });
  assert.deepEqual(reg.exact(0x70b3d5f2f, 36), { registry: 'MA-S', name: 'TELEPLATFORMS', bits: 36 });
  assert.deepEqual(reg.exact(0x0050c27d5, 36), { registry: 'IAB', name: 'DEUTA-WERKE GmbH', bits: 36 });
});

function expectError(text: string, line: number, record: string | undefined, detail: RegExp): void {
  assert.throws(
    () => parseIeeeCsv(text, 'knowledge/ieee-data/oui.csv', MAL, new IeeeRegistries()),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeError);
      assert.equal(e.code, 'kb.malformed');
      assert.equal(e.file, 'knowledge/ieee-data/oui.csv');
      assert.equal(e.entry.line, line);
      assert.equal(e.entry.record, record);
      assert.match(e.detail, detail);
      return true;
    },
  );
}

function replaceLine(text: string, n: number, line: string): string {
  const lines = text.split('\n');
  lines[n - 1] = line;
  return lines.join('\n');
}

test('parseIeeeCsv() refuses a corrupted assignment and names the line and record', () => {
  const lines = OUI.split('\n');
  assert.equal(lines[1].slice(0, 41), 'MA-L,002272,American Micro-Fuel Device Co');
  expectError(replaceLine(OUI, 2, lines[1].replace('002272', '00227G')), 2, '00227G', /6 hex digits/);
  expectError(replaceLine(OUI, 2, lines[1].replace('002272', '0022721')), 2, '0022721', /6 hex digits/);
});

test('parseIeeeCsv() refuses a row of another registry or with a missing column', () => {
  const lines = OUI.split('\n');
  expectError(replaceLine(OUI, 3, lines[2].replace('MA-L', 'MA-M')), 3, '00D0EF', /registry is "MA-M", expected MA-L/);
  expectError(replaceLine(OUI, 3, 'MA-L,00D0EF,IGT'), 3, undefined, /has 3 fields, expected 4/);
  expectError(replaceLine(OUI, 3, 'MA-L,00D0EF, ,9295 PROTOTYPE DRIVE'), 3, '00D0EF', /name is empty/);
});

test('parseIeeeCsv() refuses a quote that is never closed, naming the line it opens on', () => {
  const lines = OUI.split('\n').slice(0, 4);
  lines[3] = lines[3].replace(',', ',"');
  expectError(lines.join('\n'), 4, undefined, /never closed/);
  // Closed further on, the stray quote leaves text after the closing quote.
  expectError(replaceLine(OUI, 4, OUI.split('\n')[3].replace(',', ',"')), 4, undefined, /text after a closing quote/);
});

test('parseIeeeCsv() refuses a file without the IEEE header', () => {
  expectError(OUI.split('\n').slice(1).join('\n'), 1, undefined, /header is/);
});

test('parseCsv() reads quoted fields with commas, doubled quotes and line breaks', () => {
  const recs = parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nx,y,,z\n', 'f.csv');
  assert.deepEqual(recs, [
    { line: 1, fields: ['a', 'b,c', 'say "hi"', 'two\nlines'] },
    { line: 3, fields: ['x', 'y', '', 'z'] },
  ]);
});
