// Installs the locked dependencies when they are missing, so that `npm run demo` and `npm test`
// work on a fresh clone with nothing but Node 20 and npm.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const needed = ['typescript/package.json', 'esbuild/package.json', 'commander/package.json', '@types/node/package.json', 'playwright-core/package.json', 'better-sqlite3/package.json', 'hono/package.json', '@hono/node-server/package.json', 'zod/package.json'];
const missing = needed.some((p) => !existsSync(join(root, 'node_modules', p)));
if (missing) {
  process.stderr.write('wardline: installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
}
