import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogRun } from './logs.js';

test('LogRun.once() is true the first time a key is offered and false after, for 200,000 distinct keys', () => {
  const run = new LogRun();
  const key = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}|HTTP::BROWSER|Mozilla|Mozilla/5.0 (X11; Linux x86_64) rv:${i}`;
  let firstTimes = 0;
  for (let i = 0; i < 200_000; i++) if (run.once(key(i))) firstTimes++;
  assert.equal(firstTimes, 200_000, 'no two distinct keys taken for one another');
  for (let i = 0; i < 200_000; i += 997) assert.equal(run.once(key(i)), false);
  assert.equal(run.once('x509|a different key past the cap'), true);
  assert.equal(run.once('x509|a different key past the cap'), true, 'past the cap nothing more is remembered');
});
