import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';
import { fillReleaseLabel, loadEndOfLife, parseProduct } from './endoflife.js';
import { parseYaml, YamlMap, YamlSeq } from './yaml.js';
import { KB_DIR } from './testutil.js';

const DIR = join(KB_DIR, 'endoflife');
const eol = loadEndOfLife(DIR);
const WINDOWS = readFileSync(join(DIR, 'products', 'windows.md'), 'utf8');
const FILE = 'knowledge/endoflife/products/windows.md';

test('loadEndOfLife() reads every release of the 30 product files', () => {
  assert.equal(eol.products.size, 30);
  assert.equal(eol.releaseCount, 541);
  assert.equal(eol.products.get('windows')?.title, 'Microsoft Windows');
  assert.equal(eol.products.get('windows')?.releases.size, 47);
});

test('eolOf() gives support dates as the product file states them', () => {
  assert.deepEqual(eol.eolOf('windows', '7-sp1'), {
    product: 'windows', cycle: '7-sp1', label: '7 SP1', releaseDate: '2011-02-22', eol: '2020-01-14', activeSupport: '2015-01-13', latest: '6.1.7601',
  });
  // Windows 10 22H2: eoes is the end of the Extended Security Updates programme.
  assert.equal(eol.eolOf('windows', '10-22h2')?.extendedSupport, '2028-10-10');
  assert.deepEqual(
    [eol.eolOf('windows-server', '2016')?.eol, eol.eolOf('windows-server', '2016')?.extendedSupport, eol.eolOf('windows-server', '2016')?.lts],
    ['2027-01-12', '2030-01-12', true],
  );
  // eol: false — supported, no end date yet.
  const android = eol.eolOf('android', '16');
  assert.deepEqual([android?.eol, android?.ended], [null, false]);
  assert.equal(eol.eolOf('windows', '7'), null);
  assert.equal(eol.eolOf('beos', '5'), null);
});

test('release labels fill endoflife.date templates, the product\'s or the release\'s own', () => {
  // macos.md: the product template "macOS __RELEASE_CYCLE__ (__CODENAME__)"; 10.6 has its own.
  assert.equal(eol.eolOf('macos', '14')?.label, 'macOS 14 (Sonoma)');
  assert.equal(eol.eolOf('macos', '10.6')?.label, 'Mac OS X 10.6 (Snow Leopard)');
  // debian.md: "__RELEASE_CYCLE__ (__CODENAME__)".
  assert.equal(eol.eolOf('debian', '12')?.label, '12 (Bookworm)');
  for (const p of eol.products.values()) for (const r of p.releases.values()) assert.doesNotMatch(r.label, /__[A-Z]+_*/, `${p.id} ${r.cycle}`);
  // A placeholder with no value leaves no empty brackets or quotes.
  assert.equal(fillReleaseLabel("__RELEASE_CYCLE__ '__CODENAME__'", '4.4', null, null), '4.4');
  assert.equal(fillReleaseLabel('__RELEASE_CYCLE__ (__CODENAME__)', '9', 'Stretch', null), '9 (Stretch)');
  assert.equal(fillReleaseLabel('', '3', null, null), '3');
});

function expectError(text: string, line: number, record: string | undefined, detail: RegExp): void {
  assert.throws(
    () => parseProduct(text, FILE, 'windows'),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeError);
      assert.equal(e.code, 'kb.malformed');
      assert.equal(e.file, FILE);
      assert.equal(e.entry.line, line);
      assert.equal(e.entry.record, record);
      assert.match(e.detail, detail);
      return true;
    },
  );
}

function lineOf(text: string): number {
  return WINDOWS.split('\n').indexOf(text) + 1;
}

test('parseProduct() refuses an impossible eol date and names the line and the cycle', () => {
  const line = lineOf('    eol: 2020-01-14');
  assert.ok(line > 0);
  expectError(WINDOWS.replace('    eol: 2020-01-14', '    eol: 2020-13-14'), line, '7-sp1', /eol must be a YYYY-MM-DD date, true or false/);
  expectError(WINDOWS.replace('    eol: 2020-01-14', '    eol: soon'), line, '7-sp1', /eol must be/);
});

test('parseProduct() refuses a release without eol, or a cycle listed twice', () => {
  const line = lineOf('  - releaseCycle: "7-sp1"');
  expectError(WINDOWS.replace('    eol: 2020-01-14\n', ''), line, '7-sp1', /eol must be/);
  expectError(WINDOWS.replace('releaseCycle: "8"', 'releaseCycle: "8.1"'), lineOf('  - releaseCycle: "8"'), '8.1', /releaseCycle repeated \(first on line \d+\)/);
});

test('parseProduct() refuses YAML it cannot read, with the line', () => {
  const line = lineOf('    releaseDate: 2011-02-22');
  expectError(WINDOWS.replace('    releaseDate: 2011-02-22', '\treleaseDate: 2011-02-22'), line, undefined, /tab used for indentation/);
  expectError(WINDOWS.replace('    releaseDate: 2011-02-22', '      releaseDate: 2011-02-22'), line, undefined, /unexpected indentation/);
  expectError(WINDOWS.replace('    releaseLabel: "7 SP1"', '    releaseLabel: "7 SP1'), lineOf('    releaseLabel: "7 SP1"'), undefined, /not closed/);
  expectError(WINDOWS.replace(/^---\n/, ''), 1, undefined, /no YAML front matter/);
});

test('parseYaml() reads block collections, quoting, block scalars and comments', () => {
  const doc = parseYaml(
    [
      'a: 1.10 # stays a string',
      "b: 'it''s'",
      'c: "x\\ty"',
      'd:',
      '- p',
      '- q: 1',
      '  r: true',
      'e: |-',
      '  line one',
      '    indented',
      'f: [x, "y", 3]',
      'g: ~',
    ].join('\n'),
    'y.yaml',
  ) as YamlMap;
  assert.equal(doc.get('a'), '1.10');
  assert.equal(doc.get('b'), "it's");
  assert.equal(doc.get('c'), 'x\ty');
  const d = doc.get('d') as YamlSeq;
  assert.equal(d.items[0], 'p');
  assert.deepEqual([...(d.items[1] as YamlMap).entries], [['q', '1'], ['r', true]]);
  assert.deepEqual(d.lines, [5, 6]);
  assert.equal(doc.get('e'), 'line one\n  indented');
  assert.deepEqual((doc.get('f') as YamlSeq).items, ['x', 'y', '3']);
  assert.equal(doc.get('g'), null);
  assert.throws(() => parseYaml('a: 1\na: 2', 'y.yaml'), /y\.yaml \(line 2\): key "a" repeated/);
  assert.throws(() => parseYaml('a: &x 1', 'y.yaml'), /unsupported YAML construct/);
});
