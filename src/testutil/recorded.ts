// Test helpers for the Windows-protocol analyzers: the reassembled byte streams of a real capture (to take parser
// fuzz seeds and probe inputs from), splitting a stream into PDUs, a context to drive an
// analyzer directly, and Zeek TSV value decoding for comparisons with baselines.
import { readFileSync } from 'node:fs';
import { runCaptures } from './corpus.js';
import type { Conn } from '../flow/conn.js';
import { testConn } from './conn.js';
import { PacketMeta } from '../decode/packet.js';
import { PROBE_YES, type AnalyzerContext, type AnalyzerSpec, type AppEvent, type FlowAnalyzer } from '../analyzers/types.js';

export interface RecordedStream {
  proto: number;
  oPort: number;
  rPort: number;
  /** Payload chunks in delivery order, tagged with their direction. */
  chunks: { isOrig: boolean; bytes: Uint8Array }[];
  orig: Uint8Array;
  resp: Uint8Array;
}

const MAX_RECORDED = 4 * 1024 * 1024;

class Recorder implements FlowAnalyzer {
  s: RecordedStream | null = null;
  total = 0;
  constructor(private readonly out: RecordedStream[]) {}
  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.s === null) {
      const c = ctx.conn;
      this.s = { proto: c.proto, oPort: c.oPort, rPort: c.rPort, chunks: [], orig: new Uint8Array(0), resp: new Uint8Array(0) };
      this.out.push(this.s);
    }
    if (this.total + len > MAX_RECORDED) return;
    this.total += len;
    this.s.chunks.push({ isOrig, bytes: buf.slice(off, off + len) });
  }
}

/** Every TCP/UDP flow's payload in a capture, as the analyzer host delivers it. */
export async function recordStreams(path: string): Promise<RecordedStream[]> {
  const out: RecordedStream[] = [];
  const spec: AnalyzerSpec = { name: 'recorder', tcp: true, udp: true, ports: [], probe: () => PROBE_YES, create: () => new Recorder(out) };
  const run = await runCaptures([path], [spec]);
  run.cleanup();
  for (const s of out) {
    s.orig = Buffer.concat(s.chunks.filter((c) => c.isOrig).map((c) => c.bytes));
    s.resp = Buffer.concat(s.chunks.filter((c) => !c.isOrig).map((c) => c.bytes));
  }
  return out;
}

/** Splits a stream into PDUs with a framing function (total length or <= 0 to stop). */
export function splitPdus(bytes: Uint8Array, lengthOf: (b: Uint8Array, off: number, avail: number) => number, max = 10000): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length && out.length < max) {
    const n = lengthOf(bytes, p, bytes.length - p);
    if (n <= 0 || p + n > bytes.length) break;
    out.push(bytes.subarray(p, p + n));
    p += n;
  }
  return out;
}

/** Every occurrence of `needle` in `bytes`, each cut to at most `len` bytes. */
export function slicesAt(bytes: Uint8Array, needle: Uint8Array, len: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = b.indexOf(needle); i >= 0; i = b.indexOf(needle, i + 1)) out.push(bytes.subarray(i, Math.min(bytes.length, i + len)));
  return out;
}

/** A context for driving one analyzer directly (fuzzing state machines); collects events. */
export class TestContext implements AnalyzerContext {
  readonly conn: Conn;
  readonly packet = new PacketMeta();
  readonly events: AppEvent[] = [];
  readonly weirds: string[] = [];
  readonly services: string[] = [];
  constructor(proto = 6, oPort = 50000, rPort = 445) {
    this.conn = testConn(proto, oPort, rPort);
  }
  emit(ev: AppEvent): void {
    if (this.events.length < 10000) this.events.push(ev);
  }
  weird(name: string): void {
    if (this.weirds.length < 10000) this.weirds.push(name);
  }
  released = false;
  release(): void {
    this.released = true;
  }
  confirm(service: string): void {
    if (!this.services.includes(service)) this.services.push(service);
  }
}

/**
 * A Zeek TSV field as a JS value for comparison: "-" is unset (undefined), "(empty)" is "",
 * and Zeek's escapes (\\ and \xNN) are decoded.
 */
export function zeekValue(s: string | undefined): string | undefined {
  if (s === undefined || s === '-') return undefined;
  if (s === '(empty)') return '';
  return s.replace(/\\(x[0-9a-fA-F]{2}|\\)/g, (_m, g: string) => (g === '\\' ? '\\' : String.fromCharCode(parseInt(g.slice(1), 16))));
}

export interface ArkimeSession {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  protocols: string[];
  body: Record<string, unknown>;
}

/** The sessions an Arkime `.test` file expects (arkime/tests/pcap/<name>.test). */
export function arkimeSessions(testPath: string): ArkimeSession[] {
  const d = JSON.parse(readFileSync(testPath, 'utf8')) as { sessions3: { body: Record<string, any> }[] };
  return d.sessions3.map(({ body }) => ({
    src: body.source.ip,
    sport: body.source.port,
    dst: body.destination.ip,
    dport: body.destination.port,
    protocols: body.protocol ?? [],
    body,
  }));
}

export interface NdpiFlow {
  proto: string;
  a: string;
  aPort: number;
  b: string;
  bPort: number;
  /** e.g. "NetBIOS.SMBv1", "RDP", "MySQL". */
  app: string;
  /** The whole result line (risks, PLAIN TEXT …). */
  line: string;
}

/** The flows in an nDPI `result/<pcap>.out` file. */
export function ndpiFlows(outPath: string): NdpiFlow[] {
  const out: NdpiFlow[] = [];
  const re = /^\s*\d+\s+(TCP|UDP)\s+\[?([0-9a-fA-F.:]+?)\]?:(\d+)\s+<?->\s+\[?([0-9a-fA-F.:]+?)\]?:(\d+)\s.*?\[proto: [\d.]+\/([^\]]+)\]/;
  for (const line of readFileSync(outPath, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (m !== null) out.push({ proto: m[1], a: m[2], aPort: Number(m[3]), b: m[4], bPort: Number(m[5]), app: m[6], line });
  }
  return out;
}

export interface SuricataCheck {
  count?: number;
  match: Record<string, string>;
}

/** The `checks: - filter: {count, match}` entries of a suricata-verify test.yaml (simple YAML only). */
export function suricataChecks(yamlPath: string): SuricataCheck[] {
  const out: SuricataCheck[] = [];
  let cur: SuricataCheck | null = null;
  let inMatch = false;
  let matchIndent = 0;
  for (const raw of readFileSync(yamlPath, 'utf8').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (/^- filter:/.test(t)) {
      cur = { match: {} };
      out.push(cur);
      inMatch = false;
      continue;
    }
    if (cur === null) continue;
    if (inMatch && indent <= matchIndent) inMatch = false;
    const kv = /^([\w.\-[\]]+):\s*(.*)$/.exec(t);
    if (kv === null) continue;
    if (inMatch) cur.match[kv[1]] = kv[2].replace(/^"(.*)"$/, '$1').replace(/\\\\/g, '\\');
    else if (kv[1] === 'count') cur.count = Number(kv[2]);
    else if (kv[1] === 'match') {
      inMatch = true;
      matchIndent = indent;
    }
  }
  return out;
}
