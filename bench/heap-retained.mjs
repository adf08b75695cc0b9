// What a `monitor --replay` holds: runs the monitor as `wardline monitor` does (connection cap
// 65,536, store and alerts in a temporary directory), takes a V8 heap snapshot after a full
// collection once `--at` of the capture's packets are read, stops, and prints the retained size
// (over the dominator tree) of the biggest objects and of the named classes. This is how the
// table "What held the memory" in bench/RESULTS.md was made.
//
//   node --expose-gc bench/heap-retained.mjs PCAP [--at 0.98] [--min-mib 1] [--classes ScanDetector,BaselineDetector,LogRun]
//
// `--snapshot FILE` reads a snapshot taken some other way instead of running the monitor, e.g. of
// `wardline analyze` sent SIGUSR2 under `node --heapsnapshot-signal=SIGUSR2` (V8 collects first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const given = opt('snapshot', null);
if (given === null && (args.length === 0 || args[0].startsWith('--') || typeof global.gc !== 'function')) {
  process.stderr.write('usage: node --expose-gc bench/heap-retained.mjs PCAP [--at 0.98] [--min-mib 1] [--classes A,B]\n');
  process.exit(2);
}
const pcap = given === null ? resolve(args[0]) : given;
const at = Number(opt('at', '0.98'));
const minMiB = Number(opt('min-mib', '1'));
const classes = opt('classes', 'Monitor,ScanDetector,BaselineDetector,BruteForceDetector,LateralDetector,L2Detector,AlertBook,LogRun,FlowTable,FragmentReassembler,Store').split(',');
const total = given !== null ? 0 : Number(execFileSync('capinfos', ['-c', '-M', pcap], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)?.[1] ?? NaN);

const out = mkdtempSync(join(tmpdir(), 'wardline-heap-'));
const stop = new AbortController();
let snap = given;
let devices = 0;
if (given === null) await (await import(pathToFileURL(join(root, 'dist', 'src', 'monitor', 'run.js')).href)).runMonitor({
  input: { kind: 'replay', path: pcap, speed: 0 },
  db: join(out, 'm.db'),
  alerts: [join(out, 'a.jsonl')],
  flow: { maxFlows: 65_536 },
  statsIntervalMs: 500,
  signal: stop.signal,
  onStats: (s) => {
    if (snap !== null || s.packets < at * total) return;
    global.gc();
    devices = s.monitor.baseline_devices;
    snap = v8.writeHeapSnapshot(join(out, 'monitor.heapsnapshot'));
    process.stderr.write(`snapshot at ${s.packets} packets (${devices} baseline devices)\n`);
    stop.abort();
  },
});
if (snap === null) throw new Error('the capture ended before --at was reached');

/** Reads a snapshot too large for one string: the number arrays by hand, the rest as JSON. */
function loadSnapshot(file) {
  const buf = readFileSync(file);
  const at = (s, from = 0) => buf.indexOf(Buffer.from(s), from);
  const nodesAt = at('"nodes":[');
  const snapshot = JSON.parse(buf.subarray(buf.indexOf(Buffer.from('{'), 1), nodesAt).toString().trim().replace(/,$/, ''));
  const ints = (start) => {
    let a = new Uint32Array(1 << 20);
    let n = 0;
    let v = 0;
    let digits = false;
    for (let i = start; ; i++) {
      const c = buf[i];
      if (c >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        digits = true;
        continue;
      }
      if (digits) {
        if (n === a.length) {
          const b = new Uint32Array(a.length * 2);
          b.set(a);
          a = b;
        }
        a[n++] = v;
        v = 0;
        digits = false;
      }
      if (c === 93) return a.subarray(0, n);
    }
  };
  const nodes = ints(nodesAt + 9);
  const edgesAt = at('"edges":[', nodesAt);
  const edges = ints(edgesAt + 9);
  const stringsAt = at('"strings":[', edgesAt) + 10;
  let end = stringsAt;
  for (let depth = 0, inStr = false; end < buf.length; end++) {
    const c = buf[end];
    if (inStr) {
      if (c === 92) end++;
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 91) depth++;
    else if (c === 93 && --depth === 0) break;
  }
  return { meta: snapshot.meta, nodes, edges, strings: JSON.parse(buf.subarray(stringsAt, end + 1).toString()) };
}

const { meta, nodes: N, edges: E, strings } = loadSnapshot(snap);
rmSync(out, { recursive: true, force: true });
const nf = meta.node_fields.length;
const ef = meta.edge_fields.length;
const nodeTypes = meta.node_types[0];
const NT = meta.node_fields.indexOf('type');
const NN = meta.node_fields.indexOf('name');
const NS = meta.node_fields.indexOf('self_size');
const NE = meta.node_fields.indexOf('edge_count');
const ET = meta.edge_fields.indexOf('type');
const EX = meta.edge_fields.indexOf('to_node');
const WEAK = meta.edge_types[0].indexOf('weak');
const n = N.length / nf;
const firstEdge = new Uint32Array(n + 1);
for (let i = 0, e = 0; i < n; i++) {
  firstEdge[i] = e;
  e += N[i * nf + NE] * ef;
}
firstEdge[n] = E.length;

// Post-order from the root, then Cooper, Harvey and Kennedy's iterative dominators.
const post = new Int32Array(n).fill(-1);
const order = new Int32Array(n);
const stack = new Int32Array(n);
const next = new Uint32Array(n);
const seen = new Uint8Array(n);
let count = 0;
let sp = 0;
stack[sp++] = 0;
seen[0] = 1;
next[0] = firstEdge[0];
while (sp > 0) {
  const v = stack[sp - 1];
  if (next[v] < firstEdge[v + 1]) {
    const e = next[v];
    next[v] += ef;
    if (E[e + ET] === WEAK) continue;
    const w = E[e + EX] / nf;
    if (seen[w] === 0) {
      seen[w] = 1;
      next[w] = firstEdge[w];
      stack[sp++] = w;
    }
  } else {
    sp--;
    post[v] = count;
    order[count++] = v;
  }
}
const predStart = new Uint32Array(n + 1);
for (let v = 0; v < n; v++) if (seen[v]) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) if (E[e + ET] !== WEAK) predStart[E[e + EX] / nf + 1]++;
for (let i = 0; i < n; i++) predStart[i + 1] += predStart[i];
const preds = new Int32Array(predStart[n]);
const fill = predStart.slice();
for (let v = 0; v < n; v++) if (seen[v]) for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) if (E[e + ET] !== WEAK) preds[fill[E[e + EX] / nf]++] = v;
const idom = new Int32Array(n).fill(-1);
idom[0] = 0;
for (let changed = true; changed; ) {
  changed = false;
  for (let k = count - 2; k >= 0; k--) {
    const b = order[k];
    let d = -1;
    for (let j = predStart[b]; j < predStart[b + 1]; j++) {
      let p = preds[j];
      if (idom[p] === -1) continue;
      if (d === -1) {
        d = p;
        continue;
      }
      let q = d;
      while (p !== q) {
        while (post[p] < post[q]) p = idom[p];
        while (post[q] < post[p]) q = idom[q];
      }
      d = p;
    }
    if (d !== -1 && idom[b] !== d) {
      idom[b] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(n);
for (let k = 0; k < count; k++) {
  const v = order[k];
  retained[v] += N[v * nf + NS];
  if (v !== 0) retained[idom[v]] += retained[v];
}

const mib = (b) => (b / 2 ** 20).toFixed(2);
const name = (v) => String(strings[N[v * nf + NN]]);
const isObject = (v) => nodeTypes[N[v * nf + NT]] === 'object';
console.log(given === null ? `reachable ${mib(retained[0])} MiB at ${at} of ${pcap} (${devices} baseline devices)` : `reachable ${mib(retained[0])} MiB in ${given}`);
console.log('\nbiggest objects (retained MiB):');
const big = [];
for (let v = 1; v < n; v++) if (seen[v] && isObject(v) && retained[v] >= minMiB * 2 ** 20 && !/^system \//.test(name(v))) big.push(v);
big.sort((a, b) => retained[b] - retained[a]);
for (const v of big.slice(0, 30)) console.log(`${mib(retained[v]).padStart(9)}  ${name(v)}${isObject(idom[v]) ? ` (in ${name(idom[v])})` : ''}`);
console.log('\nnamed classes (largest instance, retained MiB):');
for (const c of classes) {
  let best = -1;
  for (let v = 0; v < n; v++) if (seen[v] && isObject(v) && name(v) === c && (best < 0 || retained[v] > retained[best])) best = v;
  console.log(`${(best < 0 ? '-' : mib(retained[best])).padStart(9)}  ${c}`);
}
