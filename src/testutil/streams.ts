// Test helper: the application bytes of every connection in a capture, as the analyzer host
// delivers them (TCP reassembled per direction, UDP one datagram at a time). Parser tests take
// their real-world seeds from here instead of hand-written bytes.
import { PROBE_YES, type AnalyzerContext, type AnalyzerSpec, type FlowAnalyzer } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import { connUid } from '../flow/uid.js';
import { runCaptures } from './corpus.js';

/** Bytes kept per direction (tests need handshakes, not bulk data). */
const MAX_KEEP = 1 << 20;
const MAX_DATAGRAMS = 10_000;
const PROTO_TCP = 6;

export interface FlowBytes {
  uid: string;
  proto: number;
  oPort: number;
  rPort: number;
  /** TCP: the reassembled stream of each direction. */
  orig: Uint8Array;
  resp: Uint8Array;
  /** UDP: the datagrams in order. */
  datagrams: { isOrig: boolean; bytes: Uint8Array }[];
}

class Recorder implements FlowAnalyzer {
  conn: Conn | null = null;
  o: Uint8Array[] = [];
  r: Uint8Array[] = [];
  oLen = 0;
  rLen = 0;
  d: { isOrig: boolean; bytes: Uint8Array }[] = [];
  constructor(private readonly all: Recorder[]) {}
  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.conn === null) {
      this.conn = ctx.conn;
      this.all.push(this);
    }
    const bytes = buf.slice(off, off + len);
    if (ctx.conn.proto !== PROTO_TCP) {
      if (this.d.length < MAX_DATAGRAMS) this.d.push({ isOrig, bytes });
    } else if (isOrig && this.oLen < MAX_KEEP) {
      this.o.push(bytes);
      this.oLen += len;
    } else if (!isOrig && this.rLen < MAX_KEEP) {
      this.r.push(bytes);
      this.rLen += len;
    }
  }
}

/** Every connection's payload bytes in `path`. */
export async function captureFlows(path: string): Promise<FlowBytes[]> {
  const recs: Recorder[] = [];
  const spec: AnalyzerSpec = {
    name: 'recorder',
    tcp: true,
    udp: true,
    ports: [],
    probe: () => PROBE_YES,
    create: () => new Recorder(recs),
  };
  const run = await runCaptures([path], [spec]);
  run.cleanup();
  return recs.map((r) => ({
    uid: connUid(r.conn!),
    proto: r.conn!.proto,
    oPort: r.conn!.oPort,
    rPort: r.conn!.rPort,
    orig: Uint8Array.from(Buffer.concat(r.o)),
    resp: Uint8Array.from(Buffer.concat(r.r)),
    datagrams: r.d,
  }));
}
