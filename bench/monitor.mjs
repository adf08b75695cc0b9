// Benchmark of `monitor --replay` at full speed against `analyze` on the benchmark capture of
// ../shared/bench/PEERS.md, in the same sitting, alternately: wall time and peak RSS of each
// (/usr/bin/time -v), and the monitor's own RSS sampled every second to show it stays flat.
// The monitor run stores into a fresh SQLite database and writes alerts as JSON lines.
//
//   node bench/monitor.mjs [--runs 3] [--pcap /tmp/bench.pcap]
//   node bench/monitor.mjs --child PCAP DB ALERTS [MAX_FLOWS]   (one monitor run; prints its JSON summary)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (args[0] === '--child') {
  const { runMonitor } = await import(pathToFileURL(join(root, 'dist', 'src', 'monitor', 'run.js')).href);
  const samples = [];
  const t0 = Date.now();
  const r = await runMonitor({
    input: { kind: 'replay', path: args[1], speed: 0 },
    db: args[2],
    alerts: [args[3]],
    statsIntervalMs: 1000,
    flow: args[4] !== undefined ? { maxFlows: Number(args[4]) } : undefined,
    onStats: (s) => {
      // With --expose-gc (the capped run), also the live heap after a full collection.
      let live = null;
      if (typeof global.gc === 'function') {
        global.gc();
        live = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      }
      samples.push({ t: Date.now() - t0, packets: s.packets, rss: s.rss_bytes, live });
    },
  });
  process.stdout.write(JSON.stringify({ packets: r.stats.packets, dropped: r.stats.dropped, alerts: r.alerts.length, conns: r.stats.conns, peak_flows: r.analysis.stats.peak_flows, evicted: r.analysis.stats.flows_evicted, store: r.stats.store, samples }) + '\n');
  process.exit(0);
}

const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(opt('runs', '3'));
const pcap = resolve(opt('pcap', join(tmpdir(), 'bench.pcap')));
if (!existsSync(pcap)) {
  process.stderr.write(`building ${pcap}…\n`);
  const shared = resolve(root, '..', 'shared', 'bench');
  execFileSync('python3', [join(shared, 'make-bench-pcap.py'), join(shared, 'ndpi-merged.pcap'), pcap, '30'], { stdio: 'inherit' });
}
const packets = Number(execFileSync('capinfos', ['-c', '-M', pcap], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)?.[1] ?? NaN);

function measure(argv, nodeFlags = []) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...nodeFlags, ...argv], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`failed: ${r.stderr.slice(-2000)}`);
  const wall = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  return { wall: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), rssMiB: Number(rss[1]) / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = mkdtempSync(join(tmpdir(), 'wardline-bench-mon-'));
const cli = join(root, 'dist', 'wardline.mjs');
const analyze = [];
const monitor = [];
let last = null;
for (let r = 0; r < runs; r++) {
  analyze.push(measure([cli, 'analyze', pcap, '--out', join(out, `a${r}`), '--no-progress']));
  const m = measure([fileURLToPath(import.meta.url), '--child', pcap, join(out, `m${r}.db`), join(out, `m${r}.jsonl`)]);
  last = JSON.parse(m.stdout.trim().split('\n').pop());
  monitor.push(m);
}
// The capture spans 30 s of network time, so no connection times out: the flow table holds all of
// them. With the table capped, memory must level off (the steady state of a long-running monitor).
const capped = JSON.parse(measure([fileURLToPath(import.meta.url), '--child', pcap, join(out, 'cap.db'), join(out, 'cap.jsonl'), '65536'], ['--expose-gc']).stdout.trim().split('\n').pop());
rmSync(out, { recursive: true, force: true });

const aw = median(analyze.map((x) => x.wall));
const mw = median(monitor.map((x) => x.wall));
const mib = (run) => run.samples.map((s) => s.rss / 2 ** 20);
const halves = (rss) => {
  const half = Math.floor(rss.length / 2);
  return [Math.max(...rss.slice(1, half)), Math.max(...rss.slice(half))];
};
const rss = mib(last);
const [firstHalfMax, secondHalfMax] = halves(rss);
const crss = mib(capped);
const [cFirst, cSecond] = halves(crss);
console.log(`| command | wall s (median of ${runs}) | packets/s | peak MiB |`);
console.log('|---|---|---|---|');
console.log(`| wardline analyze (full, logs written) | ${aw.toFixed(2)} | ${(packets / aw / 1e6).toFixed(2)}M | ${median(analyze.map((x) => x.rssMiB)).toFixed(0)} |`);
console.log(`| runMonitor --replay, speed 0 (full analyzers, detectors, SQLite store, JSON-lines alerts, no logs) | ${mw.toFixed(2)} | ${(packets / mw / 1e6).toFixed(2)}M | ${median(monitor.map((x) => x.rssMiB)).toFixed(0)} |`);
console.log('');
console.log(`monitor/analyze wall ratio: ${(mw / aw).toFixed(2)}; packets read ${last.packets} of ${packets}; dropped ${JSON.stringify(last.dropped)}; ${last.conns} connections, peak ${last.peak_flows} in the flow table; ${last.alerts} alerts; store ${JSON.stringify(last.store)}`);
console.log(`RSS each second, default flow table (MiB): ${rss.map((x) => x.toFixed(0)).join(' ')}; max first half ${firstHalfMax.toFixed(0)}, second half ${secondHalfMax.toFixed(0)}`);
console.log(`RSS each second, flow table capped at 65,536 (MiB): ${crss.map((x) => x.toFixed(0)).join(' ')}; max first half ${cFirst.toFixed(0)}, second half ${cSecond.toFixed(0)}; ${capped.evicted} connections evicted; packets ${capped.packets}; dropped ${JSON.stringify(capped.dropped)}`);
console.log(`live heap + buffers after a full GC, same run (MiB): ${capped.samples.map((s) => (s.live / 2 ** 20).toFixed(0)).join(' ')}`);
