import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';
import { loadManuf, parseManuf } from './manuf.js';
import { KB_DIR } from './testutil.js';

const DIR = join(KB_DIR, 'wireshark');
const TEXT = readFileSync(join(DIR, 'manuf'), 'utf8');

test('loadManuf() indexes 24-bit OUIs and /28 and /36 blocks', () => {
  const idx = loadManuf(DIR);
  // Every non-comment line of the Wireshark 4.0.17 file.
  assert.equal(idx.records, 52417);
  assert.equal(idx.duplicates, 0);
  assert.deepEqual(idx.exact(0x00000c, 24), { short: 'Cisco', long: 'Cisco Systems, Inc', bits: 24 });
  // "00:1B:C5:00:10:00/36	OpenRBco	OpenRB.com, Direct SIA"
  assert.deepEqual(idx.exact(0x001bc5001, 36), { short: 'OpenRBco', long: 'OpenRB.com, Direct SIA', bits: 36 });
  // A line with only a short name, and one with an empty column and a comment.
  assert.deepEqual(idx.exact(0x000013, 24), { short: 'Camex', bits: 24 });
  assert.deepEqual(idx.exact(0x0000d1, 24), { short: 'Adaptec', long: 'Adaptec, Inc.', bits: 24 });
  assert.equal(idx.lookup(0x001bc5001234)?.short, 'OpenRBco');
  assert.equal(idx.lookup(0x001bc5fff234)?.bits, 24);
});

function expectLineError(text: string, line: number, detail: RegExp): void {
  assert.throws(
    () => parseManuf(text, 'knowledge/wireshark/manuf'),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeError);
      assert.equal(e.file, 'knowledge/wireshark/manuf');
      assert.equal(e.entry.line, line);
      assert.match(e.detail, detail);
      assert.match(e.message, new RegExp(`^knowledge/wireshark/manuf \\(line ${line}, record `));
      return true;
    },
  );
}

function corrupt(find: string, replace: string): { text: string; line: number } {
  const lines = TEXT.split('\n');
  const i = lines.indexOf(find);
  assert.ok(i >= 0, `real line ${find} not found`);
  lines[i] = replace;
  return { text: lines.join('\n'), line: i + 1 };
}

test('parseManuf() refuses a corrupted address and names the line', () => {
  const c = corrupt('00:00:0C\tCisco\tCisco Systems, Inc', '00:00:0G\tCisco\tCisco Systems, Inc');
  expectLineError(c.text, c.line, /3 to 6 hex octets/);
});

test('parseManuf() refuses a mask longer than the address', () => {
  const c = corrupt('00:1B:C5:00:10:00/36\tOpenRBco\tOpenRB.com, Direct SIA', '00:1B:C5/36\tOpenRBco\tOpenRB.com, Direct SIA');
  expectLineError(c.text, c.line, /mask must be 1\.\.24/);
});

test('parseManuf() refuses a line without a vendor name', () => {
  const c = corrupt('00:00:0C\tCisco\tCisco Systems, Inc', '00:00:0C\t# Cisco');
  expectLineError(c.text, c.line, /no vendor name/);
});
