// Test helper: the application bytes of every flow in a capture, as the analyzer host delivers
// them (TCP reassembled per direction, UDP per datagram). Parser tests and fuzz seeds take real
// bytes from corpus captures through this instead of hand-written hex.
import { runCaptures } from './corpus.js';
import { PROBE_YES, type AnalyzerContext, type AnalyzerSpec, type AppEvent, type FlowAnalyzer } from '../analyzers/types.js';
import { testConn } from './conn.js';
import { PacketMeta } from '../decode/packet.js';

export interface FlowChunk {
  isOrig: boolean;
  bytes: Uint8Array;
  /** feedAnalyzer: report this many bytes lost (a TCP gap) instead of delivering `bytes`. */
  gap?: number;
}

export interface FlowBytes {
  proto: number;
  oPort: number;
  rPort: number;
  /** Deliveries in order (one per TCP in-order segment run or UDP datagram). */
  chunks: FlowChunk[];
  /** All bytes of one direction concatenated. */
  stream(isOrig: boolean): Uint8Array;
}

export async function flowBytes(path: string): Promise<FlowBytes[]> {
  const flows: FlowBytes[] = [];
  const spec: AnalyzerSpec = {
    name: 'recorder',
    tcp: true,
    udp: true,
    ports: [],
    probe: () => PROBE_YES,
    create(): FlowAnalyzer {
      let f: FlowBytes | null = null;
      return {
        data(ctx, isOrig, buf, off, len) {
          if (f === null) {
            const chunks: FlowChunk[] = [];
            f = {
              proto: ctx.conn.proto,
              oPort: ctx.conn.oPort,
              rPort: ctx.conn.rPort,
              chunks,
              stream(o: boolean) {
                const parts = chunks.filter((c) => c.isOrig === o);
                const out = new Uint8Array(parts.reduce((n, c) => n + c.bytes.length, 0));
                let p = 0;
                for (const c of parts) {
                  out.set(c.bytes, p);
                  p += c.bytes.length;
                }
                return out;
              },
            };
            flows.push(f);
          }
          f.chunks.push({ isOrig, bytes: buf.slice(off, off + len) });
        },
      };
    },
  };
  const run = await runCaptures([path], [spec]);
  run.cleanup();
  return flows;
}

/** Feeds chunks straight into a fresh analyzer with a stand-in context; returns its events. */
export function feedAnalyzer(a: FlowAnalyzer, chunks: FlowChunk[], proto = 6): { events: AppEvent[]; weirds: string[]; services: string[] } {
  const conn = testConn(proto);
  const packet = new PacketMeta();
  const out = { events: [] as AppEvent[], weirds: [] as string[], services: [] as string[] };
  const ctx: AnalyzerContext = {
    conn,
    packet,
    emit: (ev) => out.events.push(ev),
    weird: (w) => out.weirds.push(w),
    release: () => {},
    confirm: (s) => {
      if (!out.services.includes(s)) out.services.push(s);
    },
  };
  for (const c of chunks) {
    packet.packetNo++;
    if (c.gap !== undefined) a.gap?.(ctx, c.isOrig, c.gap);
    else a.data(ctx, c.isOrig, c.bytes, 0, c.bytes.length);
  }
  a.end?.(ctx);
  return out;
}

/**
 * The same deliveries re-cut into pieces of 1..`max` bytes (`r` a seeded random source), in the
 * same order and directions: a stream parser must give the same events whatever the segment
 * boundaries.
 */
export function recut(chunks: readonly FlowChunk[], r: () => number, max: number): FlowChunk[] {
  const out: FlowChunk[] = [];
  for (const c of chunks) {
    if (c.gap !== undefined) {
      out.push(c);
      continue;
    }
    for (let p = 0; p < c.bytes.length; ) {
      const n = 1 + Math.floor(r() * max);
      out.push({ isOrig: c.isOrig, bytes: c.bytes.subarray(p, p + n) });
      p += n;
    }
  }
  return out;
}
