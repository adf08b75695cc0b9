// A fuzzing campaign on the whole pipeline, for as long as you give it: every capture of the
// corpus and of test/fixtures (below 3 MB) with 1 to 24 seeded byte mutations, analysed with
// every analyzer, the inventory, the assessment and the detectors (runPipeline, as `analyze`).
// test/robustness.test.ts does a fixed, small share of this on every test run; this goes on.
// Anything that throws past the pipeline, any analyzer failure (the weird analyzer.<name>.failed:
// a parser threw, the analyzer host caught it) and any run over 20 s is written to the findings
// file, with the mutated capture kept beside it to replay.
//
//   npm run build && node scripts/fuzz.mjs [--seed N] [--seconds S] [--out DIR]
//
// Same seed, same captures, same build: the same mutations in the same order.
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const seed = Number(opt('seed', '1')) >>> 0 || 1;
const seconds = Number(opt('seconds', '600'));
const outDir = resolve(opt('out', join(root, 'fuzz-out')));
const corpusDir = process.env.WARDLINE_CORPUS ?? join(root, '..', 'shared', 'corpus');
const MAX_BYTES = 3_000_000;
const SLOW_MS = 20_000;

const { runPipeline } = await import(join(root, 'dist/src/engine/pipeline.js'));
const { INVENTORY } = await import(join(root, 'dist/src/inventory/builder.js'));
const { KnowledgeBase } = await import(join(root, 'dist/src/knowledge/kb.js'));
const { CaptureError } = await import(join(root, 'dist/src/capture/errors.js'));
const kb = KnowledgeBase.load();

function captures(dir, acc = []) {
  let entries;
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return acc;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) captures(p, acc);
    else if (/\.(pcap|pcapng|cap|netmon[12]|snoop)(\.gz)?$/i.test(e) && statSync(p).size < MAX_BYTES) acc.push(p);
  }
  return acc;
}
const files = [...captures(corpusDir), ...captures(join(root, 'test', 'fixtures')), ...captures(join(root, 'src'))];
if (files.length === 0) throw new Error('no captures found');

// xorshift32: small, seeded, the same everywhere.
let s = seed;
const rnd = () => {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return s / 4294967296;
};

mkdirSync(outDir, { recursive: true });
const findings = join(outDir, 'findings.log');
const cur = join(outDir, 'current.pcap');
const t0 = Date.now();
let runs = 0;
let found = 0;
const keep = (b, tag, line) => {
  const p = join(outDir, `case-${tag}.pcap`);
  writeFileSync(p, b);
  appendFileSync(findings, `${line} ${p}\n`);
  found++;
};
while (Date.now() - t0 < seconds * 1000) {
  const f = files[Math.floor(rnd() * files.length)];
  let b = readFileSync(f);
  if (f.endsWith('.gz')) b = gunzipSync(b);
  b = Buffer.from(b);
  const tag = `${seed}-${runs}`;
  const n = 1 + Math.floor(rnd() * 24);
  // The first 24 bytes (the pcap header, most of pcapng's) stay: a damaged header is refused at once.
  for (let i = 0; i < n; i++) {
    const at = 24 + Math.floor(rnd() * Math.max(1, b.length - 24));
    if (at >= b.length) continue;
    const k = rnd();
    b[at] = k < 0.3 ? 0 : k < 0.5 ? 0xff : k < 0.7 ? b[at] ^ (1 << Math.floor(rnd() * 8)) : Math.floor(rnd() * 256);
  }
  writeFileSync(cur, b);
  const ts = Date.now();
  try {
    const r = await runPipeline([cur], { outDir: null, kb }, INVENTORY);
    const failed = Object.keys(r.report.weirds ?? {}).filter((k) => /^analyzer\..*\.failed$/.test(k));
    if (failed.length > 0) keep(b, tag, `ANALYZER-FAILED ${f} ${failed.join(',')}`);
  } catch (e) {
    if (!(e instanceof CaptureError)) keep(b, tag, `THROW ${f} ${String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ')}`);
  }
  const ms = Date.now() - ts;
  if (ms > SLOW_MS) keep(b, tag, `SLOW ${ms} ms ${f}`);
  runs++;
}
console.log(`${runs} runs over ${files.length} captures in ${seconds} s (seed ${seed}): ${found} finding${found === 1 ? '' : 's'}${found > 0 ? ` in ${findings}` : ''}`);
process.exitCode = found > 0 ? 1 : 0;
