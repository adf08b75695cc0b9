// Test helper for the stream analyzers: runs a real capture through the engine with a spy
// analyzer that records each TCP connection's reassembled bytes in order, so a test can
// replay exactly what an analyzer would see, or take fuzz seeds from real traffic.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conn } from '../flow/conn.js';
import { testConn } from '../testutil/conn.js';
import { PacketMeta } from '../decode/packet.js';
import { connUid } from '../flow/uid.js';
import { runCaptures } from '../testutil/corpus.js';
import { PROBE_YES, type AnalyzerContext, type AnalyzerSpec, type AppEvent, type FlowAnalyzer } from './types.js';

export interface Chunk {
  isOrig: boolean;
  bytes: Uint8Array;
}

export interface Stream {
  uid: string;
  oPort: number;
  rPort: number;
  chunks: Chunk[];
  /** All bytes of one direction, concatenated (bounded by the cap given). */
  orig: Uint8Array;
  resp: Uint8Array;
}

/** Records up to `cap` bytes per connection of every TCP connection in `path`. */
export async function captureStreams(path: string, cap = 1 << 20): Promise<Stream[]> {
  const out: Stream[] = [];
  const spy: AnalyzerSpec = {
    name: 'spy',
    tcp: true,
    udp: false,
    ports: [],
    probe: () => PROBE_YES,
    create(): FlowAnalyzer {
      let s: Stream | null = null;
      let total = 0;
      return {
        data(ctx, isOrig, buf, off, len) {
          if (s === null) {
            s = { uid: connUid(ctx.conn), oPort: ctx.conn.oPort, rPort: ctx.conn.rPort, chunks: [], orig: new Uint8Array(0), resp: new Uint8Array(0) };
            out.push(s);
          }
          if (total >= cap) return;
          const b = buf.slice(off, off + Math.min(len, cap - total));
          total += b.length;
          s.chunks.push({ isOrig, bytes: b });
        },
      };
    },
  };
  const run = await runCaptures([path], [spy]);
  run.cleanup();
  for (const s of out) {
    s.orig = Buffer.concat(s.chunks.filter((c) => c.isOrig).map((c) => c.bytes));
    s.resp = Buffer.concat(s.chunks.filter((c) => !c.isOrig).map((c) => c.bytes));
  }
  return out;
}

/** A context for driving one analyzer directly: collects events, weirds and services. */
export class FakeContext implements AnalyzerContext {
  readonly conn: Conn;
  readonly packet = new PacketMeta();
  readonly events: AppEvent[] = [];
  readonly weirds: string[] = [];
  readonly services: string[] = [];
  constructor(oPort = 40000, rPort = 80) {
    this.conn = testConn(6, oPort, rPort);
  }
  emit(ev: AppEvent): void {
    this.events.push(ev);
  }
  weird(name: string): void {
    this.weirds.push(name);
  }
  released = false;
  release(): void {
    this.released = true;
  }
  confirm(service: string): void {
    if (!this.services.includes(service)) this.services.push(service);
  }
  of(type: string): AppEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

/** Feeds recorded chunks to a fresh analyzer and ends the flow. */
export function replay(a: FlowAnalyzer, chunks: Chunk[], ctx = new FakeContext()): FakeContext {
  for (const c of chunks) a.data(ctx, c.isOrig, c.bytes, 0, c.bytes.length);
  a.end?.(ctx);
  return ctx;
}

/** Splits a direction's bytes into the chunks a fuzzer mutates: one chunk per direction. */
export function twoChunks(orig: Uint8Array, resp: Uint8Array): Chunk[] {
  return [
    { isOrig: true, bytes: orig },
    { isOrig: false, bytes: resp },
  ];
}

/** A flow line of an nDPI result file: endpoints and the protocol name nDPI gave it. */
export interface NdpiFlow {
  a: string;
  ap: number;
  b: string;
  bp: number;
  /** e.g. "POP3", "SMTPS.Google", "HTTP_Proxy". */
  proto: string;
  line: string;
}

export function ndpiFlows(outText: string): NdpiFlow[] {
  const out: NdpiFlow[] = [];
  for (const m of outText.matchAll(/^\s+\d+\s+TCP (\S+):(\d+) <?-> (\S+):(\d+) .*?\[proto: [\d.]+\/([^\]]+)\].*$/gm)) {
    out.push({ a: m[1].replace(/^\[|\]$/g, ''), ap: Number(m[2]), b: m[3].replace(/^\[|\]$/g, ''), bp: Number(m[4]), proto: m[5], line: m[0] });
  }
  return out;
}

/** The log record of the connection between two endpoints, whichever side originated. */
export function findFlow(records: Record<string, unknown>[], f: { a: string; ap: number; b: string; bp: number }): Record<string, unknown> | undefined {
  return records.find(
    (r) =>
      (r['id.orig_h'] === f.a && r['id.orig_p'] === f.ap && r['id.resp_h'] === f.b && r['id.resp_p'] === f.bp) ||
      (r['id.orig_h'] === f.b && r['id.orig_p'] === f.bp && r['id.resp_h'] === f.a && r['id.resp_p'] === f.ap),
  );
}

/** Every string value (and key) in every log an analysis wrote: where a leaked secret would be. */
export function logStrings(outDir: string): string[] {
  const out: string[] = [];
  const dir = join(outDir, 'logs');
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
    }
  };
  for (const f of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line !== '') walk(JSON.parse(line));
  }
  return out;
}
