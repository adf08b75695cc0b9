// Length-prefixed PDUs over a TCP byte stream (Modbus MBAP, EtherNet/IP encapsulation, TPKT):
// one bounded carry buffer per direction. A protocol supplies how long the PDU at the start of
// some bytes is; complete PDUs are handed on one by one, a partial one waits for more bytes.

/** `frameLength` verdicts besides a positive total length. */
export const FRAME_NEED_MORE = -1;
export const FRAME_BAD = -2;

export interface PduSink {
  /** Total length of the PDU starting at `off` (header included), or FRAME_NEED_MORE / FRAME_BAD. */
  frameLength(buf: Uint8Array, off: number, len: number): number;
  pdu(buf: Uint8Array, off: number, len: number): void;
}

const EMPTY = new Uint8Array(0);

export class PduStream {
  private carry: Uint8Array = EMPTY;
  /** Set after FRAME_BAD; the stream is ignored until `reset()`. */
  broken = false;

  constructor(private readonly maxPdu: number) {}

  /** Feeds stream bytes; returns false once the stream stops looking like the protocol. */
  feed(buf: Uint8Array, off: number, len: number, sink: PduSink): boolean {
    if (this.broken) return false;
    let b = buf;
    let o = off;
    let l = len;
    if (this.carry.length > 0) {
      b = new Uint8Array(this.carry.length + len);
      b.set(this.carry, 0);
      b.set(buf.subarray(off, off + len), this.carry.length);
      o = 0;
      l = b.length;
      this.carry = EMPTY;
    }
    while (l > 0) {
      const n = sink.frameLength(b, o, l);
      if (n === FRAME_NEED_MORE || (n > l && n <= this.maxPdu)) break;
      if (n === FRAME_BAD || n <= 0 || n > this.maxPdu) {
        this.broken = true;
        return false;
      }
      sink.pdu(b, o, n);
      o += n;
      l -= n;
    }
    if (l > 0) this.carry = b.slice(o, o + l);
    return true;
  }

  /** After a gap: drop the partial PDU and accept the stream again. */
  reset(): void {
    this.carry = EMPTY;
    this.broken = false;
  }

  get pending(): number {
    return this.carry.length;
  }
}
