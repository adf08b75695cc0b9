// `wardline monitor`: the analysis pipeline on a replayed file, a pcap stream on stdin, or a live
// interface, with the detectors on its hooks, alerts to the sinks, and everything merged into the
// store in batched flushes. Memory stays flat: the flow table, analyzers and detectors are all
// bounded, and nothing is kept per packet or per connection beyond them.
import type { IntelSet } from '../intel/intel.js';
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { FlowOptions } from '../flow/table.js';
import type { Category } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import { Analysis, type AnalysisResult } from '../engine/analyze.js';
import { openSource, type ByteSource } from '../capture/source.js';
import { PacedSource, StoppableSource } from '../capture/paced.js';
import { LiveCapture, type CaptureTool, type CaptureToolStats } from '../capture/live.js';
import { CaptureError } from '../capture/errors.js';
import { Store } from '../store/store.js';
import { Monitor, type MonitorStats } from './monitor.js';
import { monitorConfig, type MonitorConfig } from './config.js';
import type { AlertPhase } from './alerts.js';
import { openSink, type AlertSink, type SinkOptions, type SinkStats } from './sinks/sinks.js';
import { DeviceClassifier } from './classifier.js';
import { MemoryGovernor } from './memory.js';
import type { KnowledgeBase } from '../knowledge/kb.js';

/**
 * How often the memory governor looks at the heap. A look costs a process.memoryUsage() call;
 * a collection happens only when the heap has grown half again (memory.ts), however often it looks.
 */
const GOVERNOR_CHECK_MS = 1000;

export type MonitorInput =
  | { kind: 'replay'; path: string; /** 0 (default): as fast as possible; N: N× capture speed. */ speed?: number }
  | { kind: 'stdin' }
  | { kind: 'interface'; iface: string; tool?: CaptureTool; filter?: string; snaplen?: number };

export interface RunMonitorOptions {
  input: MonitorInput;
  /** SQLite store path (opened, merged into and closed here), or an open Store. */
  db?: string | Store;
  /** `--alerts` destinations: file paths, syslog://, syslog+tcp://, http(s):// (see openSink). */
  alerts?: string[];
  sinkOptions?: SinkOptions;
  /** Detector settings; `learningDays` is `--baseline DAYS`. */
  config?: Partial<MonitorConfig>;
  /** Threat-intelligence indicators: matches are threat-intel alerts. */
  intel?: IntelSet;
  deviceCategory?: (ip: string, mac: string | null) => Category | null;
  deviceId?: (ip: string, mac: string | null) => string;
  /**
   * Without deviceCategory: where the detectors learn which devices are medical or IoT (lateral
   * movement and the baselines judge those). The devices an earlier run left in the store serve
   * from the start; with a knowledge base, this run's own inventory is built from the traffic
   * every `rebuildMs` of wall time (default 60 s), whenever its window fills, and at the end
   * (see classifier.ts).
   */
  inventory?: { kb: KnowledgeBase; rebuildMs?: number };
  /** Further subscribers (inventory, assessment), called before the detectors. */
  onEvent?: (ev: AppEvent, c: Conn | null, m: PacketMeta) => void;
  onConn?: (c: Conn) => void;
  onSyn?: (m: PacketMeta) => void;
  /** Every alert as it is raised, updated and closed. */
  onAlert?: (a: Alert, phase: AlertPhase) => void;
  /** Zeek-style logs directory; default null (none: a monitor runs for months). */
  outDir?: string | null;
  flow?: Partial<FlowOptions>;
  /** Store commit interval (what a crash can lose). Default 1000 ms. */
  flushIntervalMs?: number;
  /** Progress callback interval. Default 10 s. */
  statsIntervalMs?: number;
  onStats?: (s: MonitorRunStats) => void;
  /** Stops the run (Ctrl-C): live capture is told to stop, other inputs end at the next read. */
  signal?: AbortSignal;
  /** false: leave collections to V8 (default true: see memory.ts). */
  manageMemory?: boolean;
  /** Called once the input is being read (a live capture tool has said it is capturing). */
  onReady?: () => void;
}

export interface MonitorRunStats {
  packets: number;
  conns: number;
  alerts: number;
  /** Packets lost: by the kernel/tool (null when the tool did not say), and by wardline itself. */
  dropped: { capture: number | null; interface: number | null; ours: number };
  /** Packets the capture tool received (live only). */
  tool_received: number | null;
  rss_bytes: number;
  heap_used_bytes: number;
  elapsed_ms: number;
  store: { flushes: number; written: number; pending: number } | null;
  sinks: Record<string, SinkStats>;
  monitor: MonitorStats;
  /** The monitor's own device classification (null when deviceCategory was given). */
  classifier: { builds: number; windows: number; failures: number; known: number } | null;
  /** Full collections the memory governor asked for. */
  collections: number;
}

export interface MonitorRunResult {
  analysis: AnalysisResult;
  alerts: Alert[];
  stats: MonitorRunStats;
  runId: number | null;
  tool: CaptureToolStats | null;
  /** The input ended early or was corrupt (what was read is analysed). */
  incomplete: boolean;
}

function inputName(i: MonitorInput): string {
  return i.kind === 'replay' ? i.path : i.kind === 'stdin' ? '-' : `interface:${i.iface}`;
}

export async function runMonitor(opts: RunMonitorOptions): Promise<MonitorRunResult> {
  const t0 = performance.now();
  const ownStore = typeof opts.db === 'string';
  const store = opts.db === undefined ? null : typeof opts.db === 'string' ? Store.open(opts.db, { flushIntervalMs: opts.flushIntervalMs ?? 1000 }) : opts.db;
  const sinks: AlertSink[] = [];
  let live: LiveCapture | null = null;
  let statsTimer: NodeJS.Timeout | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let buildTimer: NodeJS.Timeout | null = null;
  let memTimer: NodeJS.Timeout | null = null;
  let runId: number | null = null;
  try {
    for (const s of opts.alerts ?? []) sinks.push(openSink(s, opts.sinkOptions));
    const name = inputName(opts.input);
    runId = store?.beginRun('monitor', [name]) ?? null;
    let analysis: Analysis | null = null;
    // Device classification for the detectors (see RunMonitorOptions.inventory).
    const cls =
      opts.deviceCategory === undefined
        ? new DeviceClassifier(opts.inventory?.kb ?? null, () => analysis?.paths ?? [name], store !== null ? store.devices() : [], {
            localNets: monitorConfig(opts.config ?? {}).internalNets,
            // Each build assessed and merged into the store: devices and findings as analyze --db keeps them.
            onBuild:
              store !== null
                ? (devices, findings) => {
                    for (const d of devices) store.putDevice(d, runId);
                    for (const f of findings) store.putFinding(f, runId);
                  }
                : undefined,
          })
        : null;
    const classified = opts.deviceCategory !== undefined || (cls !== null && cls.active);
    const inv = cls !== null && opts.inventory !== undefined ? cls : null;
    const rebuildMs = opts.inventory?.rebuildMs ?? 60_000;
    let sinceCheck = 0;
    const monitor = new Monitor({
      config: opts.config,
      deviceCategory: opts.deviceCategory ?? (classified && cls !== null ? (ip, mac) => cls.category(ip, mac) : undefined),
      deviceId: opts.deviceId ?? (classified && cls !== null ? (ip, mac) => cls.deviceId(ip, mac) : undefined),
      fileName: (i) => analysis?.paths[i] ?? name,
      baselines: store?.baselines(),
      persistBaselines: store !== null,
      onAlert: (a, phase) => {
        store?.putAlert(a, runId);
        if (phase !== 'update') for (const s of sinks) s.send(a);
        opts.onAlert?.(a, phase);
      },
    });
    const flushStore = (): void => {
      if (store === null) return;
      for (const r of monitor.baselineRows()) store.putBaseline(r);
      for (const c of monitor.conversationRows()) store.putConversation(c);
      store.flush();
    };
    let nextFlush = Date.now() + (store?.flushIntervalMs ?? Infinity);
    const maybeFlush = (): void => {
      if (store === null) return;
      const now = Date.now();
      if (now < nextFlush) return;
      nextFlush = now + store.flushIntervalMs;
      flushStore();
    };
    const extraEvent = opts.onEvent;
    const extraConn = opts.onConn;
    analysis = new Analysis({
      outDir: opts.outDir ?? null,
      // Protocol log records only when a logs directory was asked for.
      logs: opts.outDir !== undefined && opts.outDir !== null,
      flow: opts.flow,
      intel: opts.intel,
      onEvent: (ev, c, m) => {
        extraEvent?.(ev, c, m);
        inv?.onEvent(ev, c, m);
        monitor.onEvent(ev, c, m);
      },
      onConnProgress: monitor.onConnProgress,
      onConnStart: monitor.onConnStart,
      onConn: (c) => {
        extraConn?.(c);
        inv?.onConn(c);
        monitor.onConn(c);
        maybeFlush();
        // A full inventory window is built at once (checked every 1,024 connection ends); the
        // clock builds it too (buildTimer below), so a quiet network is classified as well.
        if (inv !== null && ++sinceCheck >= 1024) {
          sinceCheck = 0;
          if (inv.windowFull) inv.build();
        }
      },
      onSyn: inv === null ? opts.onSyn : (m) => {
        opts.onSyn?.(m);
        inv.onSyn(m);
      },
    });
    const a = analysis;

    const signal = opts.signal ?? new AbortController().signal;
    let source: ByteSource;
    if (opts.input.kind === 'replay') {
      const raw = openSource(opts.input.path);
      const speed = opts.input.speed ?? 0;
      source = speed > 0 ? new PacedSource(raw, speed, signal) : new StoppableSource(raw, signal);
    } else if (opts.input.kind === 'stdin') {
      source = new StoppableSource(openSource('-'), signal);
    } else {
      live = new LiveCapture({ iface: opts.input.iface, tool: opts.input.tool, filter: opts.input.filter, snaplen: opts.input.snaplen });
      source = live.source;
      const l = live;
      if (signal.aborted) l.stop();
      else signal.addEventListener('abort', () => l.stop(), { once: true });
    }
    if (opts.onReady !== undefined) {
      const ready = opts.onReady;
      if (live !== null) void live.ready.then(ready);
      else ready();
    }

    let tool: CaptureToolStats | null = null;
    const governor = new MemoryGovernor();
    const snapshot = (): MonitorRunStats => {
      const mem = process.memoryUsage();
      const sinkStats: Record<string, SinkStats> = {};
      for (const s of sinks) sinkStats[s.name] = s.stats();
      return {
        packets: a.packets,
        conns: monitor.conns,
        alerts: monitor.book.raised,
        dropped: { capture: tool?.dropped ?? null, interface: tool?.ifDropped ?? null, ours: 0 },
        tool_received: tool?.received ?? null,
        rss_bytes: mem.rss,
        heap_used_bytes: mem.heapUsed,
        elapsed_ms: Math.round(performance.now() - t0),
        store: store === null ? null : { flushes: store.flushes, written: store.written, pending: store.pending() },
        sinks: sinkStats,
        monitor: monitor.stats(),
        classifier: cls === null ? null : { builds: cls.builds, windows: cls.windows, failures: cls.failures, known: cls.size },
        collections: governor.collections,
      };
    };
    if (opts.onStats !== undefined) {
      const cb = opts.onStats;
      statsTimer = setInterval(() => cb(snapshot()), opts.statsIntervalMs ?? 10_000);
    }
    // Idle inputs (a quiet interface) still commit what the detectors queued.
    if (store !== null) flushTimer = setInterval(maybeFlush, store.flushIntervalMs);
    if (inv !== null) buildTimer = setInterval(() => inv.build(), rebuildMs);
    // RSS held near the live heap over a long run (see memory.ts).
    if (opts.manageMemory !== false) memTimer = setInterval(() => governor.check(), GOVERNOR_CHECK_MS);

    let analysisResult: AnalysisResult;
    try {
      analysisResult = await a.run([name], source);
    } catch (e) {
      if (live !== null) {
        live.stop();
        tool = await live.stats();
        // An empty stream because the tool could not start: its own words say why.
        if (tool.message !== null) throw new CaptureError('unreadable', `${tool.tool} could not capture on ${live.iface}: ${tool.message}`);
      }
      throw e;
    }
    if (live !== null) {
      live.stop();
      tool = await live.stats();
    }
    inv?.build();
    const alerts = monitor.finish(cls !== null && cls.active ? { deviceOf: (d) => cls.deviceOf(d) } : {});
    flushStore();
    const input = analysisResult.inputs[0];
    const stats = snapshot();
    // What the reader could not use counts as ours: a truncated or corrupt tail.
    stats.dropped.ours = input !== undefined && !input.complete ? 1 : 0;
    const incomplete = analysisResult.incomplete || (tool !== null && tool.message !== null);
    if (store !== null && runId !== null) {
      store.endRun(runId, {
        status: signal.aborted ? 'interrupted' : incomplete ? 'incomplete' : 'complete',
        first_ts: input?.first_ts ?? null,
        last_ts: input?.last_ts ?? null,
        packets: a.packets,
        dropped: (tool?.dropped ?? 0) + (tool?.ifDropped ?? 0),
        stats: { conns: stats.conns, alerts: stats.alerts, tool: tool ?? null, monitor: stats.monitor },
      });
    }
    for (const s of sinks) await s.close();
    stats.sinks = Object.fromEntries(sinks.map((s) => [s.name, s.stats()]));
    return { analysis: analysisResult, alerts, stats, runId, tool, incomplete };
  } catch (e) {
    if (store !== null && runId !== null) {
      try {
        store.endRun(runId, { status: 'failed', stats: { error: (e as Error).message } });
      } catch {
        // The original error matters more than a failure to record it.
      }
    }
    live?.stop();
    for (const s of sinks) await s.close(1000).catch(() => undefined);
    throw e;
  } finally {
    if (statsTimer !== null) clearInterval(statsTimer);
    if (flushTimer !== null) clearInterval(flushTimer);
    if (buildTimer !== null) clearInterval(buildTimer);
    if (memTimer !== null) clearInterval(memTimer);
    if (ownStore) store?.close();
  }
}
