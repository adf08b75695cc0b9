// The benchmark of ../shared/bench/PEERS.md: builds the 3,060,540-packet capture (30 copies of
// nDPI's merged test captures) and times, in the same sitting and alternately, wardline's
// `analyze` (full, and decode + flows + conn.log only) against `ndpiReader -i`, with
// /usr/bin/time for wall time and peak RSS. Prints medians and ratios as a Markdown table.
//
//   npm run bench [-- --runs 3 --copies 30 --pcap /tmp/bench.pcap --skip-ndpi]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared', 'bench');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(opt('runs', '3'));
const copies = Number(opt('copies', '30'));
const pcap = resolve(opt('pcap', join(tmpdir(), `wardline-bench-${copies}.pcap`)));
const skipNdpi = args.includes('--skip-ndpi');

if (!existsSync(pcap)) {
  process.stderr.write(`building ${pcap} (${copies} copies)…\n`);
  execFileSync('python3', [join(shared, 'make-bench-pcap.py'), join(shared, 'ndpi-merged.pcap'), pcap, String(copies)], { stdio: 'inherit' });
}
const packets = Number(execFileSync('capinfos', ['-c', '-M', pcap], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)?.[1] ?? NaN);

/** Runs a command under /usr/bin/time -v; returns wall seconds and peak RSS in MiB. */
function measure(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const wall = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const rss = r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = Number(r.stderr.match(/User time \(seconds\): ([\d.]+)/)[1]);
  const sys = Number(r.stderr.match(/System time \(seconds\): ([\d.]+)/)[1]);
  const secs = (Number(wall[1] ?? 0) * 3600) + Number(wall[2]) * 60 + Number(wall[3]);
  return { wall: secs, rssMiB: Number(rss[1]) / 1024, cpu: user + sys };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const out = mkdtempSync(join(tmpdir(), 'wardline-bench-out-'));
const cli = join(root, 'dist', 'wardline.mjs');
const subjects = [
  { name: 'wardline analyze (decode + flows + conn.log)', cmd: process.execPath, argv: [cli, 'analyze', pcap, '--out', join(out, 'core'), '--no-progress', '--no-analyzers'] },
  { name: 'wardline analyze (full)', cmd: process.execPath, argv: [cli, 'analyze', pcap, '--out', join(out, 'full'), '--no-progress'] },
];
// The same core run held to one CPU: the reader's read-ahead, the logs' write-behind and V8's
// collector threads then share that CPU with the packet loop.
if (existsSync('/usr/bin/taskset')) {
  subjects.push({ name: 'the same, pinned to one CPU (taskset -c 0)', cmd: '/usr/bin/taskset', argv: ['-c', '0', process.execPath, cli, 'analyze', pcap, '--out', join(out, 'core1'), '--no-progress', '--no-analyzers'] });
}
if (!skipNdpi) subjects.push({ name: 'ndpiReader -i (nDPI 4.2)', cmd: 'ndpiReader', argv: ['-i', pcap, '-q'] });

const results = subjects.map(() => []);
for (let r = 0; r < runs; r++) {
  subjects.forEach((s, i) => results[i].push(measure(s.cmd, s.argv)));
}
rmSync(out, { recursive: true, force: true });

const ndpiWall = skipNdpi ? null : median(results[results.length - 1].map((x) => x.wall));
const date = new Date().toISOString().slice(0, 10);
console.log(`\nBenchmark ${date}: ${pcap} (${packets.toLocaleString('en-US')} packets, ${(statSync(pcap).size / 2 ** 20).toFixed(0)} MiB), ${cpus().length} × ${cpus()[0].model}, Node ${process.version}, ${runs} runs each, medians\n`);
console.log('| command | wall s | CPU s (user + sys, all threads) | packets/s | peak MiB | wall ÷ ndpiReader |');
console.log('|---|---|---|---|---|---|');
subjects.forEach((s, i) => {
  const wall = median(results[i].map((x) => x.wall));
  const rss = median(results[i].map((x) => x.rssMiB));
  const cpu = median(results[i].map((x) => x.cpu));
  const ratio = ndpiWall ? (wall / ndpiWall).toFixed(2) : '-';
  console.log(`| ${s.name} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${(packets / wall / 1e6).toFixed(2)}M | ${rss.toFixed(0)} | ${ratio} |`);
});
