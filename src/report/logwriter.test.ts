// LogWriter's buffering: lines are encoded into a growing buffer that is written behind on a
// libuv thread while the next fills (or written synchronously when the last write is still in
// flight). Whatever the interleaving, the file must hold every line once, in order. Synthetic
// lines: this is the writer's own contract, not a protocol's.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogWriter } from './logwriter.js';
import { tempDir } from '../testutil/tmp.js';

/** Deterministic line texts of mixed lengths, some multi-byte, one longer than any buffer. */
function lines(n: number): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const len = i === n >> 1 ? 700_000 : x % 3000;
    const ch = i % 7 === 0 ? 'é€' : 'ab';
    out.push(JSON.stringify({ i, v: ch.repeat(len >> 1) }));
  }
  return out;
}

test('every line reaches the file once and in order, across buffer swaps, writes behind and a line larger than the buffer', async () => {
  const dir = tempDir('logwriter');
  const path = join(dir, 'x.log');
  const w = new LogWriter(path);
  const want = lines(6000);
  for (let i = 0; i < want.length; i++) {
    w.writeLine(want[i]);
    // Now and then let the write behind finish, so both flush paths (swap, synchronous) run.
    if (i % 997 === 0) await new Promise((r) => setImmediate(r));
  }
  await w.close();
  assert.equal(w.lines, want.length);
  assert.equal(readFileSync(path, 'utf8'), want.join('\n') + '\n');
});

test('byte-level lines (begin/rawBuf/rawPos) mix with string lines in order', async () => {
  const dir = tempDir('logwriter');
  const path = join(dir, 'raw.log');
  const w = new LogWriter(path);
  const want: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    if (i % 3 === 0) {
      const text = `{"n":${i}}`;
      assert.equal(w.begin(text.length), true);
      const b = w.rawBuf;
      let p = w.rawPos;
      p += b.write(text, p, 'latin1');
      b[p++] = 0x0a;
      w.rawPos = p;
      want.push(text);
    } else {
      const text = JSON.stringify({ s: 'x'.repeat(i % 200), i });
      w.writeLine(text);
      want.push(text);
    }
  }
  await w.close();
  assert.equal(readFileSync(path, 'utf8'), want.join('\n') + '\n');
});

test('a writer without a path counts lines and writes nothing; an empty log is created only when asked', async () => {
  const dir = tempDir('logwriter');
  const w = new LogWriter(null);
  w.writeLine('{}');
  assert.equal(w.begin(10), false);
  await w.close();
  assert.equal(w.lines, 2);
  const none = new LogWriter(join(dir, 'none.log'));
  await none.close();
  assert.equal(existsSync(join(dir, 'none.log')), false);
  const empty = new LogWriter(join(dir, 'empty.log'));
  await empty.close(true);
  assert.equal(readFileSync(join(dir, 'empty.log'), 'utf8'), '');
});
