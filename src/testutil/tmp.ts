// Temporary directories for tests, removed when the test process exits. `node --test` runs each
// test file in its own process, so a test that fails (or forgets its cleanup) no longer leaves its
// captures and outputs behind in the system's temporary directory: a full run used to leave about
// 700 of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory under the system's temporary directory, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
