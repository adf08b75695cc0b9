// Length-prefixed PDU framing over a reassembled TCP direction, shared by analyzers whose
// messages announce their own size (NetBIOS session service, TPKT, DCE-RPC, LDAP BER, MySQL).
// A PDU that fits in the incoming chunk is handed over without copying; a split one is copied
// into a buffer of at most `maxKeep` bytes (the rest of a large PDU is counted, not stored).
// A hole inside a PDU keeps framing (the PDU is marked damaged); a hole between PDUs loses it
// until the analyzer's `findStart` recognises a message start again.

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
}

export interface FramerOptions {
  /** Bytes of header lengthOf may need before it can answer. */
  maxHeader: number;
  /** Bytes of one PDU kept when it arrives split. */
  maxKeep: number;
  lengthOf: LengthOf;
  findStart?: FindStart;
}

export class PduFramer {
  private readonly acc: Uint8Array;
  private accLen = 0;
  /** Announced size of the PDU in progress, -1 between PDUs. */
  private total = -1;
  private pos = 0;
  private keep: Uint8Array | null = null;
  private damaged = false;
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
    if (this.total >= 0 && this.pos + len < this.total) {
      this.pos += len;
      this.damaged = true;
      return;
    }
    if (this.total >= 0 && this.pos + len === this.total) {
      this.pos = this.total;
      this.damaged = true;
      this.finish();
      return;
    }
    this.total = -1;
    this.keep = null;
    this.accLen = 0;
    this.lost = true;
  }

  private begin(total: number): void {
    this.total = total;
    this.pos = 0;
    this.damaged = false;
    this.keep = new Uint8Array(Math.min(total, this.opts.maxKeep));
  }

  private append(buf: Uint8Array, off: number, n: number): void {
    const k = this.keep!;
    if (this.pos < k.length) {
      const c = Math.min(n, k.length - this.pos);
      k.set(buf.subarray(off, off + c), this.pos);
    }
    this.pos += n;
  }

  private finish(): void {
    const k = this.keep!;
    const total = this.total;
    const damaged = this.damaged;
    this.keep = null;
    this.total = -1;
    this.pos = 0;
    this.damaged = false;
    this.sink.pdu(k, 0, k.length, total, damaged);
  }

  private fail(): boolean {
    this.broken = true;
    this.keep = null;
    this.accLen = 0;
    this.total = -1;
    return false;
  }
}
