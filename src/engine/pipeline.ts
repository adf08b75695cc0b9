// The whole `analyze` job as one function: knowledge base → capture analysis (with the
// assessment's observer on the engine's hooks) → assessment → report. The CLI only parses
// options and writes files; tests and `monitor` call this too.
import { MemoryGovernor } from '../monitor/memory.js';
import { Analysis, type AnalysisResult, type AnalyzeOptions } from './analyze.js';
import { KnowledgeBase } from '../knowledge/kb.js';
import { Observer } from '../assess/observe.js';
import { assess } from '../assess/assess.js';
import type { Device } from '../report/model.js';
import { deviceHosts } from '../inventory/local.js';
import type { MonitorConfig } from '../monitor/config.js';
import { Monitor } from '../monitor/monitor.js';
import { alertToFinding } from '../monitor/alerts.js';
import { deviceLookup, type DeviceLookup } from '../monitor/devices.js';
import { recordAnalysis } from '../monitor/record.js';
import { Store } from '../store/store.js';
import { buildReport, type NotDevices, type Report } from '../report/report.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';

export interface PipelineOptions extends Omit<AnalyzeOptions, 'onEvent' | 'onConn' | 'onSyn'> {
  /** Knowledge base directory (default: the bundled knowledge/). */
  kbDir?: string;
  /** YYYY-MM-DD for end-of-life judgements (default: the knowledge base's date). */
  asOf?: string;
  /** An already loaded knowledge base (tests and monitor reuse one). */
  kb?: KnowledgeBase;
  /** SQLite store to merge this run into (analyze --db). */
  db?: string;
  /** Decode, flows and conn.log only (with analyzers: [] this is the benchmark's core). */
  coreOnly?: boolean;
  /** The site's networks (CIDR); the inventory lists devices there. Default: private ranges. */
  localNets?: readonly string[];
  /** Detector settings (`--config FILE`: thresholds, allow-lists, internal networks). */
  monitorConfig?: Partial<MonitorConfig>;
}

/** Something that builds the device inventory from the engine's hooks (src/inventory). */
export interface DeviceBuilder {
  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void;
  onConn(c: Conn): void;
  onSyn?(m: PacketMeta): void;
  build(kb: KnowledgeBase, asOf: string): Device[];
  /** What the last build() left out as no devices (report.json not_devices). */
  notDevices?(): NotDevices;
  /** The addresses the last build() left out as forged sources (the assessment lists none of them either). */
  forgedSources?(): ReadonlySet<string>;
}

export interface PipelineResult {
  result: AnalysisResult;
  report: Report;
  kb: KnowledgeBase | null;
  analysis: Analysis;
  /** Wall milliseconds of each phase, in order (`analyze --timings`; never in the report). */
  timings: [string, number][];
}

export async function runPipeline(paths: string[], opts: PipelineOptions, inventory: ((paths: () => readonly string[]) => DeviceBuilder) | null = null): Promise<PipelineResult> {
  const timings: [string, number][] = [];
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings.push([name, t - t0]);
    t0 = t;
  };
  if (opts.coreOnly) {
    // Decode, flows and conn.log alone: no knowledge base, inventory or assessment.
    const analysis = new Analysis(opts);
    const result = await analysis.run(paths);
    lap('capture');
    return { result, report: buildReport(result), kb: null, analysis, timings };
  }
  const kb = opts.kb ?? KnowledgeBase.load(opts.kbDir !== undefined ? { dir: opts.kbDir } : {});
  lap('knowledge base');
  let analysis: Analysis | null = null;
  const pathsOf = (): readonly string[] => analysis?.paths ?? [];
  const observer = new Observer({ kb, paths: pathsOf, localNets: opts.localNets });
  const inv = inventory?.(pathsOf) ?? null;
  // Behaviour detectors (scan, brute force, lateral movement …) on the same hooks. Devices are
  // not classified until the run ends, so alerts are held and re-keyed to inventory ids then.
  let lookup: DeviceLookup | null = null;
  const store = opts.db !== undefined ? Store.open(opts.db) : null;
  const monitor = new Monitor({
    // Categories and domain-controller proofs exist only at the end of the input; rogue access
    // points are the assessment's finding (rogue-ap), so the detector does not report them twice.
    config: { ...opts.monitorConfig, pendingTtlSecs: Infinity, domainProofWaitSecs: Infinity, postureAlerts: false },
    deviceCategory: (ip, mac) => lookup?.category(ip, mac) ?? null,
    fileName: (i) => pathsOf()[i] ?? '',
    baselines: store?.baselines(),
    persistBaselines: store !== null,
  });
  analysis = new Analysis({
    ...opts,
    onEvent: (ev, c, m) => {
      observer.onEvent(ev, c, m);
      inv?.onEvent(ev, c, m);
      monitor.onEvent(ev, c, m);
    },
    onConn: (c) => {
      observer.onConn(c);
      inv?.onConn(c);
      monitor.onConn(c);
    },
    onSyn: inv?.onSyn,
    onConnProgress: monitor.onConnProgress,
    onConnStart: monitor.onConnStart,
  });
  // The monitor's memory governor keeps a long capture's heap near what it holds: V8 would let
  // the old generation grow to several times the live heap before collecting (bench/RESULTS.md).
  const governor = new MemoryGovernor();
  const tick = setInterval(() => governor.check(), 1000);
  tick.unref();
  let result: Awaited<ReturnType<Analysis['run']>>;
  try {
    result = await analysis.run(paths);
  } finally {
    clearInterval(tick);
  }
  // The capture's garbage goes before the inventory and the report build on top of it.
  governor.check();
  lap('capture');
  const asOf = opts.asOf ?? kb.date;
  const devices = inv?.build(kb, asOf) ?? [];
  lap('inventory');
  const a = assess({ devices, observations: observer.result(), kb, asOf, hostFilter: deviceHosts(opts.localNets, inv?.forgedSources?.() ?? null), ownsDevices: true });
  lookup = deviceLookup(a.devices);
  const alerts = monitor.finish({ deviceOf: lookup.deviceOf, category: lookup.category });
  const findings = [...a.findings, ...alerts.map(alertToFinding)].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  lap('assessment');
  if (store !== null) {
    try {
      recordAnalysis(store, { result, inputs: paths, devices: a.devices, findings: a.findings, monitor, deviceOf: lookup.deviceOf });
    } finally {
      store.close();
    }
  }
  const report = buildReport(result);
  report.wardline.kb = { version: kb.version, sources: kb.sources() };
  report.as_of = a.asOf;
  report.devices = a.devices;
  report.findings = findings;
  report.segments = a.segments;
  report.metrics = a.metrics;
  const nd = inv?.notDevices?.();
  if (nd !== undefined && (nd.forged_sources > 0 || nd.flood_announcers > 0 || nd.flood_sources > 0)) report.not_devices = nd;
  lap('store and report');
  return { result, report, kb, analysis, timings };
}
