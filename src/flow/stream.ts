// Bounded per-direction TCP stream reassembly for analyzers: in-order bytes are delivered
// straight from the packet buffer (no copy); out-of-order segments are copied and held up to a
// byte cap; overlaps keep the first copy seen; holes are skipped and reported as gaps when the
// peer acknowledges past them or the cap is hit. A segment the capture cut short (snap length)
// carries its wire length too: its missing tail is a gap at once, not a hole to wait on.

export interface StreamSink {
  data(buf: Uint8Array, off: number, len: number): void;
  gap(len: number): void;
}

interface Seg {
  seq: number;
  data: Uint8Array;
  /** One past the segment's last byte on the wire (past data's end when the capture cut it). */
  end: number;
}

export const DEFAULT_STREAM_CAP = 256 * 1024;
const MAX_SEGMENTS = 512;

export class StreamReassembler {
  /** Relative sequence number of the next byte to deliver (the first data byte is 1). */
  next = 1;
  /** Where delivery started: 1, or a later byte when the capture missed the stream's beginning. */
  first = 1;
  private segs: Seg[] = [];
  private buffered = 0;
  delivered = 0;
  gapBytes = 0;

  constructor(private readonly sink: StreamSink, private readonly cap = DEFAULT_STREAM_CAP) {}

  /**
   * One segment's captured bytes `buf[off, off+len)` at relative sequence `seq`; `wireLen` is its
   * payload length on the wire when the capture kept less (a snap length): the bytes past `len`
   * were sent but never captured, so they are skipped as a gap when delivery reaches them.
   */
  add(seq: number, buf: Uint8Array, off: number, len: number, wireLen = len): void {
    if (len <= 0) return;
    const end = seq + len;
    const wireEnd = wireLen > len ? seq + wireLen : end;
    if (wireEnd <= this.next) return; // all old (retransmission)
    if (end <= this.next) {
      // Only the uncaptured tail is new: lost, but for what other copies held hold of it.
      this.skipTo(wireEnd);
      this.drain();
      return;
    }
    if (seq <= this.next) {
      const skip = this.next - seq;
      this.deliver(buf, off + skip, len - skip);
      if (wireEnd > end) this.skipTo(wireEnd);
      this.drain();
      return;
    }
    // Out of order: keep a copy, bounded.
    if (this.buffered + len > this.cap || this.segs.length >= MAX_SEGMENTS) {
      // Give up on the hole: skip to the earliest buffered data (or this segment).
      this.skipTo(this.segs.length ? Math.min(this.segs[0].seq, seq) : seq);
      this.drain();
      if (seq <= this.next) {
        this.add(seq, buf, off, len, wireLen);
        return;
      }
    }
    const copy = buf.slice(off, off + len);
    let i = this.segs.length;
    while (i > 0 && this.segs[i - 1].seq > seq) i--;
    this.segs.splice(i, 0, { seq, data: copy, end: wireEnd });
    this.buffered += len;
  }

  /** The peer acknowledged up to `upTo`: whatever is still missing below it never comes. */
  acked(upTo: number): void {
    if (upTo <= this.next) return;
    this.skipTo(upTo);
    this.drain();
  }

  private skipTo(seq: number): void {
    if (seq <= this.next) return;
    // Deliver buffered segments that start before the skip point first.
    // A cut segment delivered on the way moves the skip point to its wire end: its lost tail is
    // skipped too, except where a held copy (a retransmission) has the bytes.
    let to = seq;
    while (this.segs.length && this.segs[0].seq < to) {
      const s = this.segs.shift()!;
      this.buffered -= s.data.length;
      const end = s.seq + s.data.length;
      if (s.seq > this.next) this.gapTo(s.seq);
      if (end > this.next) {
        const skip = this.next - s.seq;
        this.deliver(s.data, skip, s.data.length - skip);
      }
      if (s.end > to) to = s.end;
    }
    if (to > this.next) this.gapTo(to);
  }

  private gapTo(seq: number): void {
    const n = seq - this.next;
    this.gapBytes += n;
    this.next = seq;
    this.sink.gap(n);
  }

  private drain(): void {
    while (this.segs.length && this.segs[0].seq <= this.next) {
      const s = this.segs.shift()!;
      this.buffered -= s.data.length;
      const end = s.seq + s.data.length;
      if (end > this.next) {
        const skip = this.next - s.seq;
        this.deliver(s.data, skip, s.data.length - skip);
      }
      if (s.end > this.next) this.skipTo(s.end);
    }
  }

  private deliver(buf: Uint8Array, off: number, len: number): void {
    this.next += len;
    this.delivered += len;
    this.sink.data(buf, off, len);
  }

  /** End of the connection: flush what is buffered beyond holes. */
  finish(): void {
    if (this.segs.length) this.skipTo(this.segs[this.segs.length - 1].seq + 1);
    this.drain();
  }
}
