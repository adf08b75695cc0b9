import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';
import { loadP0f, parseP0f } from './p0f.js';
import { KB_DIR } from './testutil.js';

const DIR = join(KB_DIR, 'p0f');
const TEXT = readFileSync(join(DIR, 'p0f.fp'), 'utf8');
const LINES = TEXT.split('\n');

test('loadP0f() reads every signature p0f 3.09b loads from the same file', () => {
  const db = loadP0f(DIR);
  const c = db.counts;
  // p0f prints "[+] Loaded 322 signatures from '/etc/p0f/p0f.fp'" for this file.
  assert.equal(c.mtu + c.tcpRequest + c.tcpResponse + c.httpRequest + c.httpResponse, 322);
  assert.deepEqual(c, { mtu: 25, tcpRequest: 91, tcpResponse: 101, httpRequest: 85, httpResponse: 20, labels: 129 });
  assert.deepEqual(db.classes, ['win', 'unix', 'other']);
  assert.deepEqual(db.uaOs.get('iOS'), ['iPad', 'iPhone']);
  const linux = db.tcp[0].get('2,4,8,1,3')!.find((s) => s.line === 96)!;
  assert.deepEqual(
    [linux.label.type, linux.label.class, linux.label.name, linux.label.flavor, linux.ver, linux.ittl, linux.winType, linux.win, linux.scale, linux.pclass],
    ['s', 'unix', 'Linux', '3.11 and newer', -1, 64, 'mss', 20, 10, 0],
  );
});

/** The real file with line `n` (1-based) replaced. */
function withLine(n: number, text: string): string {
  const copy = LINES.slice();
  copy[n - 1] = text;
  return copy.join('\n');
}

function expectError(text: string, line: number, detail: RegExp): void {
  assert.throws(
    () => parseP0f(text, 'knowledge/p0f/p0f.fp'),
    (e: unknown) => {
      assert.ok(e instanceof KnowledgeError);
      assert.equal(e.code, 'kb.malformed');
      assert.equal(e.file, 'knowledge/p0f/p0f.fp');
      assert.equal(e.entry.line, line);
      assert.match(e.message, /^knowledge\/p0f\/p0f\.fp \(line \d+\): /);
      assert.match(e.detail, detail);
      return true;
    },
  );
}

test('parseP0f() refuses a TCP signature with an unknown quirk and names its line', () => {
  assert.equal(LINES[95], 'sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0');
  expectError(withLine(96, 'sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,idx:0'), 96, /unknown quirk "idx"/);
});

test('parseP0f() refuses a TCP signature with a field missing', () => {
  expectError(withLine(96, 'sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+'), 96, /needs 8 fields/);
});

test('parseP0f() refuses an option layout where EOL is not last', () => {
  expectError(withLine(96, 'sig   = *:64:0:*:mss*20,10:mss,eol+1,ts:df,id+:0'), 96, /EOL must be the last option/);
});

test("parseP0f() refuses IPv4-only quirks on an IPv6 signature", () => {
  expectError(withLine(96, 'sig   = 6:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0'), 96, /'df' is not valid for IPv6/);
});

test('parseP0f() refuses a label with an undeclared class', () => {
  const n = LINES.indexOf('label = s:unix:Linux:3.11 and newer') + 1;
  expectError(withLine(n, 'label = s:unx:Linux:3.11 and newer'), n, /class 'unx' is not declared/);
});

test("parseP0f() refuses an application label without its 'sys' line", () => {
  assert.equal(LINES[292], 'label = s:!:NMap:SYN scan');
  expectError(withLine(294, '; sys line removed'), 295, /needs a 'sys' line/);
});

test('parseP0f() refuses an HTTP signature with an unclosed value', () => {
  const n = LINES.findIndex((l) => l.startsWith('sig   = *:User-Agent,Accept=[*/*],Host,Connection=[Keep-Alive]')) + 1;
  expectError(withLine(n, 'sig   = *:User-Agent,Accept=[*/*,Host'), n, /malformed value for header Accept/);
});

test('parseP0f() refuses a file that is not a p0f database', () => {
  assert.throws(() => parseP0f('[tcp:request]\nhello world\n', 'x.fp'), /x\.fp \(line 2\): expected "name = value"/);
  assert.throws(() => parseP0f('; nothing\n', 'x.fp'), /no \[tcp:request\] signatures/);
});
