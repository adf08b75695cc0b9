#!/usr/bin/env node
// wardline command line (spec/PRODUCT.md "Commands"). The only module that reads argv or prints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runPipeline } from '../engine/pipeline.js';
import { limitHeapGrowth } from '../engine/heap.js';
import { INVENTORY, inventoryBuilder } from '../inventory/builder.js';
import { inventoryCsv } from '../inventory/csv.js';
import { findingsCsv } from '../report/findings-csv.js';
import { localNets } from '../inventory/local.js';
import { IntelError, IntelSet } from '../intel/intel.js';
import type { MonitorConfig } from '../monitor/config.js';
import { loadSettings, SettingsError } from '../monitor/settings.js';
import { KnowledgeError } from '../knowledge/errors.js';
import { KnowledgeBase } from '../knowledge/kb.js';
import { AssessError } from '../assess/assess.js';
import { checkKb, importFeeds, listKb } from '../knowledge/admin.js';
import { CaptureError } from '../capture/errors.js';
import { textSummary } from '../report/report.js';
import { renderHtmlTo } from '../report/html.js';
import { writePrettyJson } from '../report/jsonstream.js';
import { writeTextFile, type TextSink } from '../report/textfile.js';
import { toOcsf } from '../report/ocsf.js';
import { toCef } from '../report/cef.js';
import { noticeLog } from '../report/notice.js';
import { VERSION } from '../version.js';
import { ProgressBar } from './progress.js';
import { runMonitor, type MonitorInput } from '../monitor/run.js';
import { SinkError } from '../monitor/sinks/sinks.js';
import { Store } from '../store/store.js';
import { StoreError } from '../store/db.js';
import { reportFromStore } from '../report/from-store.js';
import { textReportCard } from '../report/card.js';
import { policyFromDir, policyFromStore, PolicyInputError } from '../policy/index.js';
import { DEFAULT_MAX_PEERS, POLICY_SCOPES, type PolicyScope } from '../policy/policy.js';
import { POLICY_FORMATS, renderPolicy, type PolicyFormat } from '../policy/render.js';
import { isLoopback, parseListen, startServer } from '../serve/server.js';

/** Commander option parser for a repeatable option: every value, in order. */
function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

interface AnalyzeCliOptions {
  out: string;
  format: string;
  progress: boolean;
  timings?: boolean;
  maxFlows?: number;
  analyzers: boolean;
  ocsf?: string;
  cef?: string;
  sensorName?: string;
  kb?: string;
  asOf?: string;
  localNets?: string;
  inventoryCsv?: string;
  findingsCsv?: string;
  external?: boolean;
  db?: string;
  config?: string;
  intel: string[];
}

/** `--intel FILE…`: the indicators, or an error message for stderr. */
function readIntel(paths: readonly string[]): IntelSet | undefined | string {
  if (paths.length === 0) return undefined;
  try {
    return IntelSet.load(paths);
  } catch (e) {
    if (e instanceof IntelError) return `--intel ${e.message}`;
    throw e;
  }
}

/** `--config FILE`: the detectors' settings, or an error message for stderr. */
function readSettings(path: string | undefined): Partial<MonitorConfig> | string {
  if (path === undefined) return {};
  try {
    return loadSettings(path);
  } catch (e) {
    if (e instanceof SettingsError) return `--config ${e.message}`;
    throw e;
  }
}

async function analyze(captures: string[], o: AnalyzeCliOptions): Promise<number> {
  if (o.format !== 'text' && o.format !== 'json') {
    process.stderr.write(`wardline: --format must be text or json\n`);
    return 2;
  }
  if (o.localNets !== undefined) {
    try {
      localNets(o.localNets.split(',').map((x) => x.trim()).filter((x) => x !== ''));
    } catch (e) {
      process.stderr.write(`wardline: --local-nets: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const settings = readSettings(o.config);
  if (typeof settings === 'string') {
    process.stderr.write(`wardline: ${settings}\n`);
    return 2;
  }
  const intel = readIntel(o.intel);
  if (typeof intel === 'string') {
    process.stderr.write(`wardline: ${intel}\n`);
    return 2;
  }
  const bar = o.progress && process.stderr.isTTY && !captures.includes('-') ? new ProgressBar(process.stderr) : null;
  mkdirSync(o.out, { recursive: true });
  let run;
  limitHeapGrowth();
  try {
    run = await runPipeline(captures, {
      outDir: o.out,
      kbDir: o.kb,
      asOf: o.asOf,
      localNets: o.localNets?.split(',').map((x) => x.trim()).filter((x) => x !== ''),
      flow: o.maxFlows !== undefined ? { maxFlows: o.maxFlows } : undefined,
      progress: bar ? (p, d, t) => bar.update(p, d, t) : undefined,
      analyzers: o.analyzers ? undefined : [],
      frameAnalyzers: o.analyzers ? undefined : [],
      packetAnalyzers: o.analyzers ? undefined : [],
      coreOnly: !o.analyzers,
      db: o.db,
      monitorConfig: settings,
      intel,
    }, o.external ? inventoryBuilder({ external: true }) : INVENTORY);
  } catch (e) {
    bar?.clear();
    if (e instanceof CaptureError || e instanceof KnowledgeError || e instanceof AssessError || e instanceof StoreError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  bar?.clear();
  const { result, report, timings } = run;
  const t0 = performance.now();
  // The findings as Zeek notices beside the other logs (counted among them in report.json).
  if (report.findings.length > 0) {
    mkdirSync(join(o.out, 'logs'), { recursive: true });
    writeFileSync(join(o.out, 'logs', 'notice.log'), noticeLog(report));
    report.logs = Object.fromEntries(Object.entries({ ...report.logs, notice: report.findings.length }).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
  writeTextFile(join(o.out, 'report.json'), (out) => writePrettyJson(report, out));
  writeTextFile(join(o.out, 'report.html'), (out) => renderHtmlTo(report, out));
  if (o.ocsf !== undefined) writeFileSync(o.ocsf, toOcsf(report));
  if (o.cef !== undefined) writeFileSync(o.cef, toCef(report, { sensorHost: o.sensorName }));
  if (o.inventoryCsv !== undefined) writeFileSync(o.inventoryCsv, inventoryCsv(report.devices));
  if (o.findingsCsv !== undefined) writeFileSync(o.findingsCsv, findingsCsv(report.findings, report.devices));
  timings.push(['output files', performance.now() - t0]);
  if (o.timings) {
    for (const [name, ms] of timings) process.stderr.write(`wardline: ${name.padEnd(18)} ${(ms / 1000).toFixed(2).padStart(7)} s\n`);
    process.stderr.write(`wardline: ${'process'.padEnd(18)} ${(process.uptime()).toFixed(2).padStart(7)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`);
  }
  if (o.format === 'json') writePrettyJson(report, (s) => process.stdout.write(s));
  else process.stdout.write(textSummary(report, o.out));
  for (const i of result.inputs) if (!i.complete) process.stderr.write(`wardline: ${i.error}\n`);
  return result.incomplete ? 1 : 0;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('wardline')
    .description('Passive security monitor for hospital medical and IoT device networks')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  program
    .command('analyze')
    .description('analyse pcap/pcapng captures (gzip accepted; "-" reads standard input)')
    .argument('<capture...>', 'capture files, or - for standard input')
    .option('-o, --out <dir>', 'output directory', 'wardline-out')
    .option('-f, --format <format>', 'stdout format: text or json', 'text')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--timings', 'print the wall time of each phase on stderr')
    .option('--max-flows <n>', 'most connections tracked at once (oldest idle ones are evicted past it)', positiveInt)
    .option('--no-analyzers', 'decode, flows and conn.log only: no protocol analyzers, inventory or assessment')
    .option('--ocsf <file>', 'also write OCSF 1.3 JSON lines (device inventory and findings)')
    .option('--cef <file>', 'also write one CEF line per finding')
    .option('--sensor-name <name>', 'this sensor\'s name in CEF (dvchost)')
    .option('--kb <dir>', 'knowledge base directory (default: the bundled one)')
    .option('--as-of <date>', 'judge end of life as of YYYY-MM-DD (default: the knowledge base date)')
    .option('--inventory-csv <file>', 'also write the device inventory as CSV')
    .option('--findings-csv <file>', 'also write the findings as CSV (one row per finding, with its device and first evidence)')
    .option('--db <file>', 'merge devices, findings, alerts and baselines into this SQLite store')
    .option('--external', 'list Internet hosts behind routers as devices too (default: counted only)')
    .option('--local-nets <cidrs>', 'the site\'s networks, comma-separated (default: private and link-local ranges)')
    .option('--config <file>', 'detector settings, JSON: thresholds, scanAllow, dhcpServers, internalNets … (docs/monitor.md)')
    .option('--intel <file>', 'threat-intelligence indicators in Zeek intel format: intel.log and threat-intel findings (repeatable)', collect, [] as string[])
    .action(async (captures: string[], opts) => {
      process.exitCode = await analyze(captures, opts);
    });
  program
    .command('monitor')
    .description('watch traffic continuously: live interface, a pcap stream on stdin, or a replayed capture')
    .option('--interface <if>', 'capture live through dumpcap or tcpdump')
    .option('--stdin', 'read a pcap/pcapng stream from standard input')
    .option('--replay <file>', 'replay a capture file')
    .option('--speed <n>', 'replay speed: 0 as fast as possible (default), N times capture speed', Number, 0)
    .option('--db <file>', 'SQLite store (devices, findings, alerts, baselines)')
    .option('--alerts <dest>', 'alert sink: FILE, syslog://host:port, syslog+tcp://host:port or http(s)://url (repeatable)', collect, [] as string[])
    .option('--baseline <days>', 'learning window before new-peer and baseline alerts', Number)
    .option('--config <file>', 'detector settings, JSON: thresholds, scanAllow, dhcpServers, wifiAccessPoints, internalNets … (docs/monitor.md)')
    .option('--intel <file>', 'threat-intelligence indicators in Zeek intel format: threat-intel alerts (repeatable)', collect, [] as string[])
    .option('--max-flows <n>', 'most connections tracked at once (default 65536; the least recently active are evicted)', positiveInt)
    .option('--kb <dir>', 'knowledge base directory (default: the bundled one); classifies devices for the detectors')
    .option('--no-progress', 'no statistics on stderr')
    .action(async (o: MonitorCliOptions) => {
      process.exitCode = await monitorCommand(o);
    });
  program
    .command('report')
    .description('render the report of a store (wardline analyze/monitor --db)')
    .requiredOption('--db <file>', 'SQLite store')
    .option('-f, --format <format>', 'text, json or html', 'text')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action((o: { db: string; format: string; out?: string }) => {
      process.exitCode = reportCommand(o);
    });
  program
    .command('policy')
    .description('least-privilege segmentation policy: allow what each medical/IoT device was seen doing, log and drop the rest')
    .option('--db <file>', 'SQLite store kept by analyze --db or monitor --db')
    .option('--from <dir>', 'an analyze output folder (report.json and logs/conn.log)')
    .option('-f, --format <format>', 'nftables, iptables, panos or cisco', 'nftables')
    .option('--scope <scope>', 'devices to fence: medical, medical-iot or all', 'medical-iot')
    .option('--max-peers <n>', 'peers listed in one rule before it allows any peer on that port', positiveInt, DEFAULT_MAX_PEERS)
    .option('--device <id-or-address>', 'fence only this device, whatever its category (repeatable)', collect, [] as string[])
    .option('--local-nets <cidrs>', 'the site\'s networks, comma-separated (default: private and link-local ranges); inbound from outside them is never allowed')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (o: PolicyCliOptions) => {
      process.exitCode = await policyCommand(o);
    });
  program
    .command('serve')
    .description('serve a store read-only: the report page and a JSON API (devices, findings, alerts, policy)')
    .requiredOption('--db <file>', 'SQLite store kept by analyze --db or monitor --db')
    .option('--listen <host:port>', 'address to listen on (no authentication: keep it on loopback or behind a proxy)', '127.0.0.1:8080')
    .action(async (o: { db: string; listen: string }) => {
      process.exitCode = await serveCommand(o);
    });
  const kb = program.command('kb').description('the knowledge base: list its sources, check it, import newer feeds');
  kb.command('list')
    .description('sources, versions, dates and record counts')
    .option('--kb <dir>', 'knowledge base directory')
    .option('-f, --format <format>', 'text or json', 'text')
    .action((opts: { kb?: string; format: string }) => {
      process.exitCode = kbCommand(() => {
        const l = listKb(opts.kb);
        if (opts.format === 'json') process.stdout.write(JSON.stringify(l, null, 2) + '\n');
        else {
          process.stdout.write(`knowledge base ${l.version} (${l.date})\n`);
          for (const s of l.sources) process.stdout.write(`  ${s.name.padEnd(18)} ${s.version.padEnd(22)} ${s.date}  ${String(s.records).padStart(7)} ${s.unit}  ${s.licence}\n`);
        }
        return 0;
      });
    });
  kb.command('check')
    .description('load and validate every feed against the manifest')
    .option('--kb <dir>', 'knowledge base directory')
    .action((opts: { kb?: string }) => {
      process.exitCode = kbCommand(() => {
        const r = checkKb(opts.kb);
        for (const p of r.problems) process.stderr.write(`wardline: ${p}\n`);
        process.stdout.write(r.ok ? 'knowledge base OK\n' : `knowledge base has ${r.problems.length} problem(s)\n`);
        return r.ok ? 0 : 1;
      });
    });
  kb.command('import')
    .description('add a newer copy of a supported feed (KEV, NVD 2.0, CVE 5, CSAF, endoflife, OUI, manuf, p0f, Satori, default credentials)')
    .argument('<feed-file...>', 'feed files (gzip accepted)')
    .option('--kb <dir>', 'knowledge base directory')
    .action((files: string[], opts: { kb?: string }) => {
      process.exitCode = kbCommand(() => {
        for (const r of importFeeds(files, opts.kb)) process.stdout.write(`${r.file}: ${r.source}, ${r.records} records → ${r.dest}${r.replaced ? ' (replaced)' : ''}\n`);
        return 0;
      });
    });
  return program;
}

/** Default connection cap of `monitor` (bench/RESULTS.md: RSS levels off near 330 MiB). */
const MONITOR_MAX_FLOWS = 65_536;

interface MonitorCliOptions {
  interface?: string;
  stdin?: boolean;
  replay?: string;
  speed: number;
  db?: string;
  alerts: string[];
  baseline?: number;
  maxFlows?: number;
  kb?: string;
  progress: boolean;
  config?: string;
  intel: string[];
}

async function monitorCommand(o: MonitorCliOptions): Promise<number> {
  const inputs = [o.interface !== undefined, o.stdin === true, o.replay !== undefined].filter(Boolean).length;
  if (inputs !== 1) {
    process.stderr.write('wardline: monitor needs exactly one of --interface IF, --stdin, --replay FILE\n');
    return 2;
  }
  const settings = readSettings(o.config);
  if (typeof settings === 'string') {
    process.stderr.write(`wardline: ${settings}\n`);
    return 2;
  }
  const intel = readIntel(o.intel);
  if (typeof intel === 'string') {
    process.stderr.write(`wardline: ${intel}\n`);
    return 2;
  }
  const input: MonitorInput = o.interface !== undefined ? { kind: 'interface', iface: o.interface } : o.stdin ? { kind: 'stdin' } : { kind: 'replay', path: o.replay!, speed: o.speed };
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The detectors judge medical and IoT devices: the monitor keeps its own inventory.
    const kb = KnowledgeBase.load(o.kb !== undefined ? { dir: o.kb } : {});
    const r = await runMonitor({
      input,
      db: o.db,
      inventory: { kb },
      alerts: o.alerts,
      intel,
      config: o.baseline !== undefined ? { ...settings, learningDays: o.baseline } : settings,
      // A monitor runs for months: its flow table is capped so memory stays flat; the least
      // recently active connections are evicted (counted, and logged as they go) past the cap.
      flow: { maxFlows: o.maxFlows ?? MONITOR_MAX_FLOWS },
      signal: stop.signal,
      onStats: o.progress ? (s) => process.stderr.write(`wardline: ${s.packets.toLocaleString('en-US')} packets, ${s.conns.toLocaleString('en-US')} connections, ${s.alerts} alerts, dropped ${s.dropped.ours}/${s.dropped.capture ?? '-'}, ${(s.rss_bytes / 2 ** 20).toFixed(0)} MiB\n`) : undefined,
    });
    process.stdout.write(`${r.alerts.length} alerts; ${r.stats.packets.toLocaleString('en-US')} packets, dropped: ours ${r.stats.dropped.ours}, capture ${r.stats.dropped.capture ?? 'n/a'}\n`);
    for (const a of r.alerts) process.stdout.write(`  ${a.severity.toUpperCase()} ${a.rule} ${a.device}${a.peer ? ' → ' + a.peer : ''}: ${a.why}\n`);
    return r.incomplete ? 1 : 0;
  } catch (e) {
    if (e instanceof CaptureError || e instanceof SinkError || e instanceof StoreError || e instanceof KnowledgeError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportCommand(o: { db: string; format: string; out?: string }): number {
  if (!['text', 'json', 'html'].includes(o.format)) {
    process.stderr.write('wardline: --format must be text, json or html\n');
    return 2;
  }
  let store: Store;
  try {
    store = Store.open(o.db, { readonly: true });
  } catch (e) {
    if (e instanceof StoreError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const rep = reportFromStore(store);
    const write = (out: TextSink): void => {
      if (o.format === 'json') writePrettyJson(rep, out);
      else if (o.format === 'html') renderHtmlTo(rep, out);
      else out(textReportCard(rep));
    };
    if (o.out !== undefined) writeTextFile(o.out, write);
    else write((s) => process.stdout.write(s));
    return 0;
  } finally {
    store.close();
  }
}

interface PolicyCliOptions {
  db?: string;
  from?: string;
  format: string;
  scope: string;
  maxPeers: number;
  device: string[];
  localNets?: string;
  out?: string;
}

async function policyCommand(o: PolicyCliOptions): Promise<number> {
  if ((o.db === undefined) === (o.from === undefined)) {
    process.stderr.write('wardline: policy needs exactly one of --db FILE, --from DIR\n');
    return 2;
  }
  if (!(POLICY_FORMATS as readonly string[]).includes(o.format)) {
    process.stderr.write(`wardline: --format must be one of ${POLICY_FORMATS.join(', ')}\n`);
    return 2;
  }
  if (!(POLICY_SCOPES as readonly string[]).includes(o.scope)) {
    process.stderr.write('wardline: --scope must be medical, medical-iot or all\n');
    return 2;
  }
  let nets: string[] | undefined;
  if (o.localNets !== undefined) {
    nets = o.localNets.split(',').map((x) => x.trim()).filter((x) => x !== '');
    try {
      localNets(nets);
    } catch (e) {
      process.stderr.write(`wardline: --local-nets: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const opts = { scope: o.scope as PolicyScope, maxPeers: o.maxPeers, only: o.device, ...(nets !== undefined ? { localNets: nets } : {}) };
  let policy;
  try {
    if (o.from !== undefined) policy = await policyFromDir(o.from, opts);
    else {
      const store = Store.open(o.db!, { readonly: true });
      try {
        policy = policyFromStore(store, o.db!, opts);
      } finally {
        store.close();
      }
    }
  } catch (e) {
    if (e instanceof PolicyInputError || e instanceof StoreError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.device.length > 0 && policy.devices.length + policy.withoutAddress.length === 0) {
    process.stderr.write(`wardline: no device is ${o.device.join(' or ')}\n`);
    return 2;
  }
  const text = renderPolicy(policy, o.format as PolicyFormat);
  if (o.out !== undefined) writeFileSync(o.out, text);
  else process.stdout.write(text);
  // Stateless ACLs allow negotiated channels as seen; the other formats leave them to helpers.
  const rules = policy.devices.reduce((n, d) => n + d.rules.length + (o.format === 'cisco' ? d.channelRules.length : 0), 0);
  const pl = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  process.stderr.write(`wardline: policy for ${pl(policy.devices.length, 'device')}, ${pl(rules, 'allow rule')} from ${policy.used} of ${pl(policy.conversations, 'answered conversation')}${o.out !== undefined ? ` → ${o.out}` : ''}\n`);
  return 0;
}

async function serveCommand(o: { db: string; listen: string }): Promise<number> {
  const at = parseListen(o.listen);
  if (at === null) {
    process.stderr.write('wardline: --listen takes host:port (e.g. 127.0.0.1:8080, [::1]:8080)\n');
    return 2;
  }
  let s;
  try {
    s = await startServer({ db: o.db, host: at.host, port: at.port });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof StoreError || typeof err.code === 'string') {
      process.stderr.write(`wardline: ${e instanceof StoreError ? e.message : `${o.listen}: ${err.code} ${err.message}`}\n`);
      return 2;
    }
    throw e;
  }
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  process.stderr.write(`wardline: serving ${o.db} read-only on http://${host}:${s.port}/ (API under /api/; Ctrl-C stops)\n`);
  if (!isLoopback(at.host)) process.stderr.write('wardline: warning: listening beyond loopback without authentication: put a TLS reverse proxy with logins in front\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await s.close();
  return 0;
}

function kbCommand(f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof KnowledgeError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function main(): Promise<void> {
  // Output piped into `head` and the like: a closed reader ends the job quietly, as in other CLIs.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
      return;
    }
    process.stderr.write(`wardline: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  }
}

await main();
