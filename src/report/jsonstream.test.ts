// writePrettyJson() must give JSON.stringify(v, null, 2) + "\n" byte for byte: report.json is
// compared across runs and by users' tools. Synthetic values cover what a report can hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writePrettyJson } from './jsonstream.js';

function streamed(v: unknown): string {
  const parts: string[] = [];
  writePrettyJson(v, (s) => parts.push(s));
  return parts.join('');
}

test('writePrettyJson equals JSON.stringify(v, null, 2) for report-shaped values', () => {
  const many = Array.from({ length: 40 }, (_, i) => ({
    id: `dev-${i}`,
    ips: i % 3 === 0 ? [] : ['10.0.0.' + i, 'fe80::' + i],
    nested: { deep: [{ a: i, b: 'x\ny "quoted" é …' }], empty: {} },
    skip: undefined,
    when: new Date(Date.UTC(2026, 0, 1 + i)),
    n: i % 5 === 0 ? null : i / 7,
  }));
  const cases: unknown[] = [
    {},
    { a: 1 },
    { a: undefined, b: () => 1 },
    { devices: many, findings: [], small: [1, 2, 3], text: 'line\nbreak', nothing: null },
    { holes: [...many.slice(0, 20), undefined, () => 0, Symbol('s')] },
    { devices: many, tail: { x: [many.slice(0, 2)] } },
    [1, 2, 3],
    'string',
    42,
    null,
    { toJSON: () => ({ replaced: true }) },
  ];
  for (const v of cases) assert.equal(streamed(v), JSON.stringify(v, null, 2) + '\n');
});

