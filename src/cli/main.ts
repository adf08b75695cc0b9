#!/usr/bin/env node
// wardline command line (spec/PRODUCT.md "Commands"). The only module that reads argv or prints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Analysis } from '../engine/analyze.js';
import { CaptureError } from '../capture/errors.js';
import { buildReport, textSummary } from '../report/report.js';
import { renderHtml } from '../report/html.js';
import { toOcsf } from '../report/ocsf.js';
import { toCef } from '../report/cef.js';
import { VERSION } from '../version.js';
import { ProgressBar } from './progress.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

interface AnalyzeCliOptions {
  out: string;
  format: string;
  progress: boolean;
  maxFlows?: number;
  analyzers: boolean;
  ocsf?: string;
  cef?: string;
  sensorName?: string;
}

async function analyze(captures: string[], o: AnalyzeCliOptions): Promise<number> {
  if (o.format !== 'text' && o.format !== 'json') {
    process.stderr.write(`wardline: --format must be text or json\n`);
    return 2;
  }
  const bar = o.progress && process.stderr.isTTY && !captures.includes('-') ? new ProgressBar(process.stderr) : null;
  mkdirSync(o.out, { recursive: true });
  const analysis = new Analysis({
    outDir: o.out,
    flow: o.maxFlows !== undefined ? { maxFlows: o.maxFlows } : undefined,
    progress: bar ? (p, d, t) => bar.update(p, d, t) : undefined,
    analyzers: o.analyzers ? undefined : [],
    frameAnalyzers: o.analyzers ? undefined : [],
  });
  let result;
  try {
    result = await analysis.run(captures);
  } catch (e) {
    bar?.clear();
    if (e instanceof CaptureError) {
      process.stderr.write(`wardline: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  bar?.clear();
  const report = buildReport(result);
  const json = JSON.stringify(report, null, 2) + '\n';
  writeFileSync(join(o.out, 'report.json'), json);
  writeFileSync(join(o.out, 'report.html'), renderHtml(report));
  if (o.ocsf !== undefined) writeFileSync(o.ocsf, toOcsf(report));
  if (o.cef !== undefined) writeFileSync(o.cef, toCef(report, { sensorHost: o.sensorName }));
  if (o.format === 'json') process.stdout.write(json);
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
    .option('--max-flows <n>', 'most connections tracked at once (oldest idle ones are evicted past it)', positiveInt)
    .option('--no-analyzers', 'decode, flows and conn.log only: no protocol analyzers')
    .option('--ocsf <file>', 'also write OCSF 1.3 JSON lines (device inventory and findings)')
    .option('--cef <file>', 'also write one CEF line per finding')
    .option('--sensor-name <name>', 'this sensor\'s name in CEF (dvchost)')
    .action(async (captures: string[], opts) => {
      process.exitCode = await analyze(captures, opts);
    });
  return program;
}

async function main(): Promise<void> {
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
