// Length-prefixed PDU framing over a reassembled TCP direction, shared by analyzers whose
// messages announce their own size (NetBIOS session service, TPKT, DCE-RPC, LDAP BER, MySQL).
// A PDU that fits in the incoming chunk is handed over without copying; a split one is copied
// into a buffer of at most `maxKeep` bytes (the rest of a large PDU is counted, not stored).
// A hole inside a PDU keeps framing (the PDU is marked damaged); a hole between PDUs loses it
// until the analyzer's `findStart` recognises a message start again.
// A sink that carries bulk data (SMB file reads and writes) may look at a split PDU's first
// `peek` bytes and have the rest streamed to it as it arrives (`large`/`body`): the PDU is then
// kept only up to that point, however large it is, and no byte of the data is copied.

/**
 * Total PDU length (header included) from its first `avail` bytes: > 0 known, 0 need more
 * bytes, < 0 not a valid header.
 */
export type LengthOf = (buf: Uint8Array, off: number, avail: number) => number;

/** Offset of a plausible PDU start in buf[off, off+len), or -1. */
export type FindStart = (buf: Uint8Array, off: number, len: number) => number;

export interface PduSink {
  /**
   * One PDU: `len` bytes at `off` are its first bytes; `total` is its announced size (larger
   * than `len` when cut to maxKeep). `damaged`: a capture hole fell inside it.
   */
  pdu(buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void;
  /**
   * A PDU that arrives split, once its first `peek` bytes (or all of it) are in: returns the
   * offset in the PDU from which its bytes go to `body` as they arrive instead of being kept
   * (`pdu` then gets the bytes before it), or -1 to keep it as usual.
   */
  large?(buf: Uint8Array, off: number, len: number, total: number): number;
  /** Streamed bytes of the current PDU, in order. */
  body?(buf: Uint8Array, off: number, len: number): void;
  /** `len` streamed bytes of the current PDU were lost. */
  bodyGap?(len: number): void;
}

export interface FramerOptions {
  /** Bytes of header lengthOf may need before it can answer. */
  maxHeader: number;
  /** Bytes of one PDU kept when it arrives split. */
  maxKeep: number;
  lengthOf: LengthOf;
  findStart?: FindStart;
  /** Bytes of a split PDU the sink's `large` looks at (at most maxKeep); 0 or absent: never asked. */
  peek?: number;
}

export class PduFramer {
  private readonly acc: Uint8Array;
  private accLen = 0;
  /** Announced size of the PDU in progress, -1 between PDUs. */
  private total = -1;
  private pos = 0;
  private keep: Uint8Array | null = null;
  private damaged = false;
  /** The sink was asked about the PDU in progress (`large`). */
  private asked = false;
  /** Offset in the PDU from which its bytes are streamed, -1 when it is kept. */
  private streamFrom = -1;
  /** Framing was lost in a hole; waiting for findStart. */
  lost = false;
  /** Set once lengthOf rejected a header; the direction is then ignored. */
  broken = false;

  constructor(
    private readonly opts: FramerOptions,
    private readonly sink: PduSink,
  ) {
    this.acc = new Uint8Array(opts.maxHeader);
  }

  /** Feeds stream bytes; returns false once framing is broken. */
  push(buf: Uint8Array, off: number, len: number): boolean {
    if (this.broken) return false;
    const end = off + len;
    let p = off;
    if (this.lost) {
      const f = this.opts.findStart;
      const s = f === undefined ? -1 : f(buf, p, end - p);
      if (s < 0) return true;
      this.lost = false;
      p = s;
    }
    while (p < end) {
      if (this.total < 0) {
        let t: number;
        if (this.accLen === 0) {
          t = this.opts.lengthOf(buf, p, end - p);
          if (t < 0) return this.fail();
          if (t === 0) {
            if (end - p >= this.opts.maxHeader) return this.fail();
            this.acc.set(buf.subarray(p, end), 0);
            this.accLen = end - p;
            return true;
          }
          if (end - p >= t) {
            this.sink.pdu(buf, p, t, t, false);
            p += t;
            continue;
          }
          this.begin(t);
        } else {
          const n = Math.min(end - p, this.opts.maxHeader - this.accLen);
          this.acc.set(buf.subarray(p, p + n), this.accLen);
          t = this.opts.lengthOf(this.acc, 0, this.accLen + n);
          if (t < 0) return this.fail();
          if (t === 0) {
            if (this.accLen + n >= this.opts.maxHeader) return this.fail();
            this.accLen += n;
            p += n;
            continue;
          }
          // The PDU starts with the bytes held back earlier; the chunk's bytes follow.
          const held = this.accLen;
          this.accLen = 0;
          this.begin(t);
          this.append(this.acc, 0, held);
        }
      }
      const n = Math.min(this.total - this.pos, end - p);
      this.append(buf, p, n);
      p += n;
      if (this.pos >= this.total) this.finish();
    }
    return true;
  }

  /** `len` bytes of this direction were lost. */
  gap(len: number): void {
    if (this.broken) return;
    if (this.total >= 0 && this.pos + len <= this.total) {
      if (this.streamFrom >= 0) {
        const lost = this.pos + len - Math.max(this.pos, this.streamFrom);
        if (lost > 0) this.sink.bodyGap?.(lost);
      }
      this.pos += len;
      this.damaged = true;
      if (this.pos === this.total) this.finish();
      return;
    }
    if (this.total >= 0 && this.streamFrom >= 0) {
      const lost = this.total - Math.max(this.pos, this.streamFrom);
      if (lost > 0) this.sink.bodyGap?.(lost);
    }
    this.streamFrom = -1;
    this.total = -1;
    this.keep = null;
    this.accLen = 0;
    this.lost = true;
  }

  private begin(total: number): void {
    this.total = total;
    this.pos = 0;
    this.damaged = false;
    this.asked = false;
    this.streamFrom = -1;
    this.keep = new Uint8Array(Math.min(total, this.opts.maxKeep));
  }

  private append(buf: Uint8Array, off: number, n: number): void {
    const k = this.keep!;
    const before = this.pos;
    if (this.streamFrom >= 0) {
      // Bytes before the streaming point are kept, the rest go to the sink.
      const kept = Math.max(0, Math.min(n, this.streamFrom - before));
      if (kept > 0) k.set(buf.subarray(off, off + kept), before);
      if (n > kept) this.sink.body!(buf, off + kept, n - kept);
      this.pos += n;
      return;
    }
    if (before < k.length) {
      const c = Math.min(n, k.length - before);
      k.set(buf.subarray(off, off + c), before);
    }
    this.pos += n;
    const peek = this.opts.peek ?? 0;
    if (this.asked || this.damaged || peek <= 0 || this.sink.large === undefined || this.sink.body === undefined) return;
    if (this.pos < Math.min(peek, this.total)) return;
    this.asked = true;
    const s = this.sink.large(k, 0, Math.min(this.pos, k.length), this.total);
    if (s < 0 || s >= this.total || s > k.length) return;
    this.streamFrom = s;
    // What already arrived past the streaming point: earlier chunks' bytes are in `keep`
    // (they were below peek ≤ maxKeep), this chunk's are still in `buf`.
    if (s < before) this.sink.body(k, s, before - s);
    const from = Math.max(s, before);
    if (this.pos > from) this.sink.body(buf, off + (from - before), this.pos - from);
  }

  private finish(): void {
    const k = this.keep!;
    const total = this.total;
    const damaged = this.damaged;
    const len = this.streamFrom >= 0 ? Math.min(k.length, this.streamFrom) : k.length;
    this.keep = null;
    this.total = -1;
    this.pos = 0;
    this.damaged = false;
    this.streamFrom = -1;
    this.sink.pdu(k, 0, len, total, damaged);
  }

  private fail(): boolean {
    this.broken = true;
    this.streamFrom = -1;
    this.keep = null;
    this.accLen = 0;
    this.total = -1;
    return false;
  }
}
