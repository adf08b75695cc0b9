// Rewrites the record counts in knowledge/manifest.json (or --kb DIR) from what the loaders read,
// keeping each source's description. Run after replacing a feed file with a newer copy, then
// update that source's version and date by hand.   npm run -s build && node scripts/kb-manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--kb');
const dir = i > 0 ? resolve(process.argv[i + 1]) : join(root, 'knowledge');
const { KnowledgeBase } = await import(join(root, 'dist', 'src', 'knowledge', 'kb.js'));
const kb = KnowledgeBase.load({ dir, checkManifest: false });
const path = join(dir, 'manifest.json');
const manifest = JSON.parse(readFileSync(path, 'utf8'));
for (const s of manifest.sources) {
  const c = kb.counts.get(s.name);
  if (c === undefined) throw new Error(`no loader reads source ${s.name}`);
  s.records = c.records;
  s.files = [...c.files].map(([p, records]) => ({ path: p, records }));
}
writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
console.log(`updated ${path}`);
