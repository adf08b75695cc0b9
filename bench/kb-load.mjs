// Knowledge base load time: each run in a fresh Node process (cold, as at start-up), median of
// N runs, per source. Usage: npm run -s build && node bench/kb-load.mjs [--runs 5]
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 5;
const kbModule = join(root, 'dist', 'src', 'knowledge', 'kb.js');
const script = `import(${JSON.stringify(kbModule)}).then((m) => console.log(JSON.stringify(m.KnowledgeBase.load().loadMs)))`;
const samples = [];
for (let r = 0; r < runs; r++) samples.push(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| source | median ms (${runs} cold runs) |\n|---|---|`);
for (const k of Object.keys(samples[0])) console.log(`| ${k} | ${median(samples.map((s) => s[k]))} |`);
