// Framing for binary protocols whose frames begin with a start octet and announce their length,
// and which resynchronise inside a stream instead of giving it up (IEEE 1815 DNP3 link frames,
// IEC 60870-5-104 APDUs): octets that cannot begin a frame are skipped up to the next plausible
// start and reported as damage; at most one partial frame is held between chunks. (PduFramer is
// for protocols whose framing, once lost to a bad header, stays lost.)

export interface ResyncOptions {
  /** The octet every frame begins with. */
  start: number;
  /** Octets lengthOf may need before it can answer. */
  headerLen: number;
  /** The largest frame: the held buffer's size. */
  maxFrame: number;
  /** Total frame length from the first `avail` octets: > 0 known, 0 need more, < 0 not a frame header (the value says why). */
  lengthOf(buf: Uint8Array, off: number, avail: number): number;
  /** Offset of the next plausible frame start in buf[off, off+len), or -1. */
  findStart(buf: Uint8Array, off: number, len: number): number;
}

export interface ResyncSink {
  /** One whole frame; false when it is not one after all (scanning resumes at its second octet). */
  frame(buf: Uint8Array, off: number, len: number): boolean;
  /**
   * `n` octets were no frame. `code`: lengthOf's negative verdict on a header, or 0 (passed while
   * searching, or a frame the sink refused); `first`: they begin a damaged stretch.
   */
  damage(n: number, code: number, first: boolean): void;
}

export class ResyncFramer {
  private readonly held: Uint8Array;
  private heldLen = 0;
  /** Searching for the next start after damage or a gap. */
  private lost = false;
  /** Set by the owner to stop reading this direction for good. */
  broken = false;

  constructor(
    private readonly opts: ResyncOptions,
    private readonly sink: ResyncSink,
  ) {
    this.held = new Uint8Array(opts.maxFrame);
  }

  push(buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const o = this.opts;
    let p = off;
    const end = off + len;
    if (this.heldLen > 0) {
      // Complete the held frame: first its header (for the length), then the rest.
      let total = o.lengthOf(this.held, 0, this.heldLen);
      while (p < end && total >= 0 && (total === 0 || this.heldLen < total)) {
        const take = Math.min((total === 0 ? o.headerLen : total) - this.heldLen, end - p);
        this.held.set(buf.subarray(p, p + take), this.heldLen);
        this.heldLen += take;
        p += take;
        total = o.lengthOf(this.held, 0, this.heldLen);
      }
      if (total === 0 || (total > 0 && this.heldLen < total)) return;
      const n = total < 0 ? this.heldLen : total;
      this.heldLen = 0;
      let rescan = total < 0;
      if (rescan) this.damage(1, total);
      else if (this.sink.frame(this.held, 0, total)) this.lost = false;
      else {
        this.damage(1, 0);
        rescan = true;
      }
      if (rescan) {
        // Not a frame after all: its octets after the start are scanned again, then the rest.
        this.push(this.held.slice(1, n), 0, n - 1);
        if (p < end) this.push(buf, p, end - p);
        return;
      }
    }
    while (p < end && !this.broken) {
      if (this.lost || buf[p] !== o.start) {
        const s = o.findStart(buf, p, end - p);
        const skip = (s < 0 ? end : s) - p;
        if (skip > 0) this.damage(skip, 0);
        if (s < 0) return;
        p = s;
      }
      const total = o.lengthOf(buf, p, end - p);
      if (total < 0) {
        this.damage(1, total);
        p++;
        continue;
      }
      if (total === 0 || end - p < total) {
        this.held.set(buf.subarray(p, end), 0);
        this.heldLen = end - p;
        return;
      }
      if (this.sink.frame(buf, p, total)) {
        this.lost = false;
        p += total;
      } else {
        this.damage(1, 0);
        p++;
      }
    }
  }

  /** Octets were lost: the held frame goes, and the next start is searched for. */
  gap(): void {
    this.heldLen = 0;
    this.lost = true;
  }

  private damage(n: number, code: number): void {
    const first = !this.lost;
    this.lost = true;
    this.sink.damage(n, code, first);
  }
}
