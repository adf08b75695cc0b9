// The classification rules file: the bundled one loads and covers every category; malformed
// lines are refused with file, line and reason (synthetic lines: there is no peer for this).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KnowledgeError } from '../knowledge/errors.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';
import { CATEGORIES, evaluate, expand, loadRules, parseRules, type FactIndex } from './rules.js';

test('loadRules() reads the bundled knowledge/rules/classify.rules and every category has a rule', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  assert.ok(rules.length > 100);
  const cats = new Set(rules.map((r) => r.category).filter((c) => c !== undefined));
  for (const c of CATEGORIES) if (c !== 'unknown') assert.ok(cats.has(c), c);
  assert.ok(rules.every((r) => r.weight >= 1 && r.conditions.length > 0));
});

test('parseRules() reads weights, conditions and assignments with $ groups', () => {
  const [r] = parseRules('7  cdp.platform ~ /^cisco\\s+(\\S+)$/ && !capability = "telephone" -> vendor="Cisco" model="$1" category=network  # c', 'x.rules');
  assert.equal(r.weight, 7);
  assert.deepEqual(r.conditions.map((c) => c.kind), ['re', 'not']);
  assert.deepEqual([r.vendor, r.model, r.category], ['Cisco', '$1', 'network']);
  const idx: FactIndex = new Map([['cdp.platform', [{ value: 'cisco WS-C2960', ref: 0 }]]]);
  const [f] = evaluate([r], idx);
  assert.equal(expand(r.model!, f.groups), 'WS-C2960');
  idx.set('capability', [{ value: 'telephone', ref: 1 }]);
  assert.equal(evaluate([r], idx).length, 0, '!key = "text" excludes');
});

test('parseRules() refuses malformed lines naming file and line', () => {
  const bad: [string, RegExp][] = [
    ['service = "tcp/9100" -> category=printer', /starts with its weight/],
    ['5 service = tcp/9100 -> category=printer', /"quoted"/],
    ['5 service ~ /(/ -> category=printer', /bad regex/],
    ['5 service ~ /x/ -> category=fridge', /unknown category/],
    ['5 service ~ /x/ category=printer', /WEIGHT CONDITION/],
    ['0 service ~ /x/ -> category=printer', /weight must be/],
    ['5 !service -> category=printer', /positive condition/],
    ['5 service ~ /x/ -> colour=red', /expected category=/],
    ['5 service ~ /x/ -> category=printer category=camera', /assigned twice/],
  ];
  for (const [line, re] of bad) {
    assert.throws(
      () => parseRules(`# ok\n${line}\n`, 'knowledge/rules/classify.rules'),
      (e: unknown) => e instanceof KnowledgeError && e.code === 'kb.malformed' && e.file === 'knowledge/rules/classify.rules' && e.entry.line === 2 && re.test(e.message),
      line,
    );
  }
});
