// Inventory cost on the analyzers benchmark capture (issue 4: inventory must add ≤ 10 % to the
// analyze time of the same sitting). Runs, alternately and in separate processes, the full
// in-process analysis (logs written) without and with the inventory attached (hooks + build
// with the knowledge base loaded), and prints medians.
//
//   node bench/inventory.mjs [--pcap /tmp/wardline-bench-30.pcap] [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const pcap = resolve(opt('pcap', join(tmpdir(), 'wardline-bench-30.pcap')));
const runs = Number(opt('runs', '3'));

if (args.includes('--child')) {
  const withInv = args.includes('--inventory');
  const { Analysis } = await import(join(root, 'dist/src/engine/analyze.js'));
  const { Inventory } = await import(join(root, 'dist/src/inventory/inventory.js'));
  const { inventoryHooks } = await import(join(root, 'dist/src/inventory/hooks.js'));
  const { KnowledgeBase } = await import(join(root, 'dist/src/knowledge/kb.js'));
  const out = mkdtempSync(join(tmpdir(), 'wardline-invbench-'));
  const t0 = performance.now();
  const inv = withInv ? new Inventory() : null;
  const a = new Analysis(inv === null ? { outDir: out } : { outDir: out, ...inventoryHooks(inv, () => a.paths) });
  const r = await a.run([pcap]);
  const tAnalyze = performance.now() - t0;
  let devices = 0;
  let tBuild = 0;
  if (inv !== null) {
    const t1 = performance.now();
    const kb = KnowledgeBase.load();
    devices = inv.build(kb).length;
    tBuild = performance.now() - t1;
  }
  rmSync(out, { recursive: true, force: true });
  const mem = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ total: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, analyze: tAnalyze / 1000, build: tBuild / 1000, packets: r.stats.packets, devices, rssMiB: mem, stats: inv?.stats() }));
  process.exit(0);
}

const results = { plain: [], inventory: [] };
for (let i = 0; i < runs; i++) {
  for (const k of ['plain', 'inventory']) {
    const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--pcap', pcap, ...(k === 'inventory' ? ['--inventory'] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (p.status !== 0) throw new Error(p.stderr);
    const j = JSON.parse(p.stdout.trim().split('\n').pop());
    results[k].push(j);
    process.stderr.write(`${k} run ${i + 1}: ${j.total.toFixed(2)} s (build ${j.build.toFixed(2)} s, ${j.devices} devices)\n`);
  }
}
// The machine is shared: the fastest run of each is the least disturbed one.
const min = (xs) => Math.min(...xs);
const last = results.inventory[results.inventory.length - 1];
const row = (name, rs) => `| ${name} | ${min(rs.map((r) => r.total)).toFixed(2)} | ${min(rs.map((r) => r.cpu)).toFixed(2)} | ${min(rs.map((r) => r.rssMiB)).toFixed(0)} |`;
console.log(`\nInventory cost: ${pcap} (${last.packets.toLocaleString('en-US')} packets), ${runs} runs each, best of runs`);
console.log('| run | wall s | CPU s | peak RSS MiB |');
console.log('|---|---|---|---|');
console.log(row('analyze', results.plain));
console.log(row('analyze + inventory (hooks, KB load, build)', results.inventory));
const pw = min(results.plain.map((r) => r.total));
const iw = min(results.inventory.map((r) => r.total));
const pc = min(results.plain.map((r) => r.cpu));
const ic = min(results.inventory.map((r) => r.cpu));
const b = min(results.inventory.map((r) => r.build));
console.log(`\nadded: wall ${(((iw - pw) / pw) * 100).toFixed(1)} %, CPU ${(((ic - pc) / pc) * 100).toFixed(1)} %; KB load + build ${b.toFixed(2)} s for ${last.devices} devices`);
console.log(JSON.stringify(last.stats));
