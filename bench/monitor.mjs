// Benchmark of `monitor --replay` at full speed against `analyze` on the benchmark capture of
// ../shared/bench/PEERS.md, in the same sitting, alternately: wall time and peak RSS of each
// (/usr/bin/time -v), the monitor's own RSS sampled while it runs, and in one more run (with
// --expose-gc) the live heap after a full collection, to tell what the program keeps from what V8
// has not collected yet. The monitor runs as `wardline monitor` does: connection cap 65,536, its
// own inventory with the bundled knowledge base (classifying devices for the detectors, rebuilt
// every 60 s of wall time and at the end), a fresh SQLite store, alerts as JSON lines, no logs.
//
//   node bench/monitor.mjs [--runs 3] [--pcap /tmp/bench.pcap] [--interval 1000]
//   node bench/monitor.mjs --memory [--pcap FILE] [--interval 4000]   (no analyze, no timing: the two sampled runs only,
//                                                                      e.g. on a longer capture built by make-bench-pcap.py with more copies)
//   node bench/monitor.mjs --child PCAP DB ALERTS [MAX_FLOWS] [INTERVAL_MS]   (one monitor run; prints its JSON summary)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
/** `wardline monitor`'s default connection cap (src/cli/main.ts MONITOR_MAX_FLOWS). */
const MONITOR_MAX_FLOWS = 65_536;

if (args[0] === '--child') {
  const { runMonitor } = await import(pathToFileURL(join(root, 'dist', 'src', 'monitor', 'run.js')).href);
  const { KnowledgeBase } = await import(pathToFileURL(join(root, 'dist', 'src', 'knowledge', 'kb.js')).href);
  const samples = [];
  const t0 = Date.now();
  const r = await runMonitor({
    input: { kind: 'replay', path: args[1], speed: 0 },
    inventory: { kb: KnowledgeBase.load() },
    db: args[2],
    alerts: [args[3]],
    statsIntervalMs: Number(args[5] ?? 1000),
    flow: { maxFlows: Number(args[4] ?? MONITOR_MAX_FLOWS) },
    onStats: (s) => {
      // With --expose-gc, also the live heap (and array buffers) after a full collection.
      let live = null;
      if (typeof global.gc === 'function') {
        global.gc();
        const m = process.memoryUsage();
        live = m.heapUsed + m.arrayBuffers;
      }
      samples.push({ t: Date.now() - t0, packets: s.packets, rss: s.rss_bytes, live, devices: s.monitor.baseline_devices, scan_probes: s.monitor.scan_probes });
    },
  });
  process.stdout.write(JSON.stringify({ packets: r.stats.packets, dropped: r.stats.dropped, alerts: r.alerts.length, conns: r.stats.conns, peak_flows: r.analysis.stats.peak_flows, evicted: r.analysis.stats.flows_evicted, store: r.stats.store, monitor: r.stats.monitor, samples }) + '\n');
  process.exit(0);
}

const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const memoryOnly = args.includes('--memory');
const runs = Number(opt('runs', '3'));
const interval = opt('interval', memoryOnly ? '4000' : '1000');
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
const self = fileURLToPath(import.meta.url);
const child = (name, flags) => {
  const m = measure([self, '--child', pcap, join(out, `${name}.db`), join(out, `${name}.jsonl`), String(MONITOR_MAX_FLOWS), interval], flags);
  return { ...m, run: JSON.parse(m.stdout.trim().split('\n').pop()) };
};
const analyze = [];
const monitor = [];
let last = null;
if (!memoryOnly) {
  for (let r = 0; r < runs; r++) {
    analyze.push(measure([cli, 'analyze', pcap, '--out', join(out, `a${r}`), '--no-progress']));
    const m = child(`m${r}`, []);
    last = m.run;
    monitor.push(m);
  }
} else {
  last = child('m', []).run;
}
const live = child('gc', ['--expose-gc']).run;
rmSync(out, { recursive: true, force: true });

const mib = (x) => (x / 2 ** 20).toFixed(0);
const secs = (s) => (s.t / 1000).toFixed(0);
if (!memoryOnly) {
  const aw = median(analyze.map((x) => x.wall));
  const mw = median(monitor.map((x) => x.wall));
  console.log(`| command | wall s (median of ${runs}) | packets/s | peak MiB |`);
  console.log('|---|---|---|---|');
  console.log(`| wardline analyze (full, logs written) | ${aw.toFixed(2)} | ${(packets / aw / 1e6).toFixed(2)}M | ${median(analyze.map((x) => x.rssMiB)).toFixed(0)} |`);
  console.log(`| runMonitor --replay, speed 0, cap ${MONITOR_MAX_FLOWS} (full analyzers, detectors, SQLite store, JSON-lines alerts, no logs) | ${mw.toFixed(2)} | ${(packets / mw / 1e6).toFixed(2)}M | ${median(monitor.map((x) => x.rssMiB)).toFixed(0)} |`);
  console.log('');
  console.log(`monitor/analyze wall ratio: ${(mw / aw).toFixed(2)} (each run: analyze ${analyze.map((x) => x.wall.toFixed(2)).join(' ')}; monitor ${monitor.map((x) => x.wall.toFixed(2)).join(' ')})`);
}
console.log(`packets read ${last.packets} of ${packets}; dropped ${JSON.stringify(last.dropped)}; ${last.conns} connections, peak ${last.peak_flows} in the flow table, ${last.evicted} evicted; ${last.alerts} alerts; store ${JSON.stringify(last.store)}; ${last.monitor.baseline_devices} baseline devices (${last.monitor.baseline_devices_evicted} evicted), ${last.monitor.scan_sources} scan sources holding ${last.monitor.scan_probes} probes (${last.monitor.scan_evicted} sources evicted)`);
console.log(`RSS every ${interval} ms (s: MiB): ${last.samples.map((s) => `${secs(s)}:${mib(s.rss)}`).join(' ')}`);
console.log(`with a full GC before each sample (s: live heap + array buffers / RSS MiB, devices): ${live.samples.map((s) => `${secs(s)}:${mib(s.live)}/${mib(s.rss)},${s.devices}`).join(' ')}`);
