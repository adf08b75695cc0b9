// Length-prefixed PDUs over a TCP byte stream (Modbus MBAP, EtherNet/IP encapsulation, TPKT),
// framed by the shared PduFramer. A protocol supplies how long the PDU at the start of
// some bytes is; complete PDUs are handed on one by one, a partial one waits for more bytes.

import { PduFramer } from './pdu-framer.js';
import type { AnalyzerContext } from './types.js';

const PROTO_TCP = 6;

/** `frameLength` verdicts besides a positive total length. */
export const FRAME_NEED_MORE = -1;
export const FRAME_BAD = -2;

export interface PduSink {
  /** Total length of the PDU starting at `off` (header included), or FRAME_NEED_MORE / FRAME_BAD. */
  frameLength(buf: Uint8Array, off: number, len: number): number;
  pdu(buf: Uint8Array, off: number, len: number): void;
}

/** Header bytes any of these protocols needs to know a PDU's length (ENIP's is the longest, 24). */
const MAX_HEADER = 64;

/**
 * The simple interface of the ICS analyzers over the shared PduFramer (pdu-framer.ts): whole,
 * undamaged PDUs only, and a PDU longer than `maxPdu` ends the stream as not this protocol.
 */
export class PduStream {
  private framer: PduFramer | null = null;
  private sink: PduSink | null = null;

  constructor(private readonly maxPdu: number) {}

  /** Set once the stream stopped looking like the protocol; ignored until `reset()`. */
  get broken(): boolean {
    return this.framer?.broken ?? false;
  }

  /** Feeds stream bytes; returns false once the stream stops looking like the protocol. */
  feed(buf: Uint8Array, off: number, len: number, sink: PduSink): boolean {
    this.sink = sink;
    if (this.framer === null) {
      this.framer = new PduFramer(
        {
          maxHeader: MAX_HEADER,
          maxKeep: this.maxPdu,
          lengthOf: (b, o, a) => {
            const n = this.sink!.frameLength(b, o, a);
            if (n === FRAME_NEED_MORE) return 0;
            return n === FRAME_BAD || n <= 0 || n > this.maxPdu ? -1 : n;
          },
        },
        {
          pdu: (b, o, n, total, damaged) => {
            if (!damaged && n === total) this.sink!.pdu(b, o, n);
          },
        },
      );
    }
    return this.framer.push(buf, off, len);
  }

  /** After a gap: drop the partial PDU and accept the stream again. */
  reset(): void {
    this.framer = null;
  }
}

/**
 * A flow analyzer of length-framed PDUs: over TCP each direction's stream is cut into whole PDUs
 * (PduStream; a gap drops the partial one), over UDP each datagram is handed on as it is
 * (`datagram`, which protocols that pack several PDUs into one datagram override). Subclasses
 * say how long a PDU is and what to do with one; `ctx` and `isOrig` are the current delivery's.
 */
export abstract class PduFlowAnalyzer implements PduSink {
  private readonly streams: [PduStream, PduStream];
  protected ctx: AnalyzerContext | null = null;
  protected isOrig = true;

  /** `badFraming`: the weird a stream that stops framing raises. */
  constructor(maxPdu: number, private readonly badFraming: string) {
    this.streams = [new PduStream(maxPdu), new PduStream(maxPdu)];
  }

  abstract frameLength(buf: Uint8Array, off: number, len: number): number;
  abstract pdu(buf: Uint8Array, off: number, len: number): void;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.isOrig = isOrig;
    if (ctx.conn.proto !== PROTO_TCP) {
      this.datagram(buf, off, len);
      return;
    }
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    if (!s.feed(buf, off, len, this)) {
      ctx.weird(this.badFraming);
      ctx.violation?.();
    }
  }

  protected datagram(buf: Uint8Array, off: number, len: number): void {
    this.pdu(buf, off, len);
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams[isOrig ? 0 : 1].reset();
  }
}
