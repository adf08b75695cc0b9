// Paths to the shared corpus and helpers to run the pipeline in-process for tests.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analysis, type AnalysisResult, type AnalyzeOptions } from '../engine/analyze.js';
import type { Conn } from '../flow/conn.js';
import type { AnalyzerSpec } from '../analyzers/types.js';
import { tempDir } from './tmp.js';

/** Repository root (this file is compiled to dist/src/testutil/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The shared corpus: ../shared/corpus beside the clone, or $WARDLINE_CORPUS. */
export const CORPUS = process.env.WARDLINE_CORPUS ?? resolve(REPO_ROOT, '..', 'shared', 'corpus');

export function corpus(...p: string[]): string {
  return join(CORPUS, ...p);
}

export function haveCorpus(): boolean {
  return existsSync(CORPUS);
}

export interface RunOutput {
  result: AnalysisResult;
  conns: Conn[];
  outDir: string;
  /** Lines of logs/<name>.log parsed as JSON. */
  log(name: string): Record<string, unknown>[];
  cleanup(): void;
}

/** Runs the whole analysis on captures into a temporary directory; `hooks` see every event and ended connection. */
export async function runCaptures(paths: string[], analyzers?: AnalyzerSpec[], hooks: Pick<AnalyzeOptions, 'onEvent' | 'onConn' | 'intel'> = {}): Promise<RunOutput> {
  const outDir = tempDir('wardline-test-');
  const a = new Analysis({ outDir, keepConns: true, analyzers, onEvent: hooks.onEvent, onConn: hooks.onConn, intel: hooks.intel });
  const result = await a.run(paths);
  return {
    result,
    conns: a.conns,
    outDir,
    log(name: string) {
      const p = join(outDir, 'logs', `${name}.log`);
      if (!existsSync(p)) return [];
      return readFileSync(p, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    cleanup() {
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Rows of a `tshark -T fields` file (tab-separated, no header), as kept beside the captures they read. */
export function readTsharkFields(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

/**
 * A log's lines against tshark's rows for the same frames: asserts one line per row, in frame
 * order (the lines' packet numbers are the rows' first column), and gives each line with its row
 * and a "frame N" label for assertion messages.
 */
export function linesByFrame(log: Record<string, unknown>[], rows: string[][], what?: string): { l: Record<string, unknown>; r: string[]; at: string }[] {
  assert.deepEqual(
    log.map((l) => l.packet),
    rows.map((r) => Number(r[0])),
    what,
  );
  return rows.map((r, i) => ({ l: log[i], r, at: `frame ${r[0]}` }));
}

/** Parses a Zeek TSV log (with #fields header) into records of strings. */
export function readZeekTsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  let fields: string[] = [];
  const out: Record<string, string>[] = [];
  for (const line of lines) {
    if (line.startsWith('#fields')) fields = line.split('\t').slice(1);
    if (line.startsWith('#') || line.length === 0) continue;
    if (fields.length === 0) {
      // btest-diff-cut output: a plain header row naming the kept columns.
      fields = line.split('\t');
      continue;
    }
    const vals = line.split('\t');
    const r: Record<string, string> = {};
    fields.forEach((f, i) => (r[f] = vals[i]));
    out.push(r);
  }
  return out;
}

interface IndexEntry {
  trace: string;
  tests: { test: string; baselines: string[] }[];
}

/** Every (trace, baseline) pair in the Zeek corpus whose baseline file name is `logName`. */
export function zeekBaselines(logName: string): { trace: string; baseline: string }[] {
  const idx = JSON.parse(readFileSync(corpus('zeek', 'trace_baseline_index.json'), 'utf8')) as IndexEntry[];
  const out: { trace: string; baseline: string }[] = [];
  for (const e of idx) {
    for (const t of e.tests) {
      for (const b of t.baselines) {
        if (b.endsWith('/' + logName)) out.push({ trace: corpus('zeek', 'traces', e.trace), baseline: corpus('zeek', 'baselines', b) });
      }
    }
  }
  return out;
}

/** Every file under `dir`, recursively (outputs of a run, to search for what must not be there). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}
