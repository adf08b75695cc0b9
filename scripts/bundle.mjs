// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports) into one file,
// dist/wardline.mjs, the `wardline` bin. Loading ~180 ES modules one by one cost about 90 ms
// of every start-up (resolution, reads, linking); one file costs a single read and parse.
// The tests keep importing the unbundled modules under dist/src; test/cli.test.ts runs the bundle.
// Native and test-only packages stay outside the bundle and load from node_modules.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'wardline.mjs');
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'playwright-core'],
  // Bundled CommonJS packages (commander) call require(); give the ES module one.
  banner: { js: "import { createRequire as __wardlineRequire } from 'node:module';\nconst require = __wardlineRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'inline',
});
chmodSync(outfile, 0o755);
