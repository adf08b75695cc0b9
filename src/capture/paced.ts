// Byte sources for monitoring: a replay paced by the capture's own timestamps (`--replay FILE
// --speed N`), and a source that ends when a signal aborts. Pacing reads just enough of the
// pcap or pcapng framing (record headers, Enhanced Packet Block timestamps with if_tsresol and
// if_tsoffset, per-section byte order) to hold each record back until its time has come; the
// bytes themselves pass through unchanged to the capture reader.
import type { ByteSource } from './source.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_IDB = 1;
const PCAPNG_EPB = 6;
const PCAPNG_BOM = 0x1a2b3c4d;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
/** A record larger than this is corrupt: the rest is passed through for the reader to report. */
const MAX_RECORD = 256 * 1024 * 1024;
const READ_CHUNK = 1 << 20;
/** Longest single wait; longer gaps are waited out in steps (so an abort is noticed). */
const MAX_SLEEP_MS = 250;

interface Iface {
  unitsPerSec: number;
  offsetSec: number;
}

export class PacedSource implements ByteSource {
  private buf = new Uint8Array(READ_CHUNK);
  private len = 0;
  /** Bytes handed to the reader so far (index into buf). */
  private pos = 0;
  /** Bytes released: everything before this index may be handed out. */
  private due = 0;
  /** Bytes whose framing has been parsed (≥ due). */
  private eof = false;
  private format: 'unknown' | 'pcap' | 'pcapng' | 'raw' = 'unknown';
  private le = true;
  private nano = false;
  private ifaces: Iface[] = [];
  private t0Capture: number | null = null;
  private t0Wall = 0;

  /** `speed` 1 plays in real time, 2 twice as fast …; must be > 0. */
  constructor(
    private readonly inner: ByteSource,
    private readonly speed: number,
    private readonly signal?: AbortSignal,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(speed > 0)) throw new RangeError('pacing speed must be above 0');
  }

  async read(out: Uint8Array, off: number, len: number): Promise<number> {
    for (;;) {
      if (this.signal?.aborted) return 0;
      if (this.due > this.pos) {
        const n = Math.min(len, this.due - this.pos);
        out.set(this.buf.subarray(this.pos, this.pos + n), off);
        this.pos += n;
        return n;
      }
      const ok = await this.releaseNext();
      if (!ok) {
        // End of input: release whatever is left (a truncated tail the reader will report).
        if (this.len > this.due) {
          this.due = this.len;
          continue;
        }
        return 0;
      }
    }
  }

  close(): void {
    this.inner.close();
  }

  /** Makes sure `n` bytes from `due` are buffered; false at end of input. */
  private async need(n: number): Promise<boolean> {
    while (this.len - this.due < n) {
      if (this.eof) return false;
      if (this.pos > 0 && this.pos === this.due) {
        this.buf.copyWithin(0, this.pos, this.len);
        this.len -= this.pos;
        this.due -= this.pos;
        this.pos = 0;
      }
      if (this.buf.length - this.len < READ_CHUNK) {
        const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n + READ_CHUNK));
        b.set(this.buf.subarray(0, this.len));
        this.buf = b;
      }
      const got = await this.inner.read(this.buf, this.len, this.buf.length - this.len);
      if (got === 0) this.eof = true;
      this.len += got;
    }
    return true;
  }

  private u32(at: number, le = this.le): number {
    const b = this.buf;
    return le ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0 : ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  private u16(at: number): number {
    const b = this.buf;
    return this.le ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];
  }

  /** Parses the next unit of framing, waits for its time, releases it; false at end. */
  private async releaseNext(): Promise<boolean> {
    if (this.format === 'unknown') {
      if (!(await this.need(4))) return false;
      const m = this.u32(this.due, true);
      if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || this.u32(this.due, false) === PCAP_MAGIC_US || this.u32(this.due, false) === PCAP_MAGIC_NS) {
        this.format = 'pcap';
        this.le = m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS;
        this.nano = this.u32(this.due) === PCAP_MAGIC_NS;
        if (!(await this.need(PCAP_HEADER))) return false;
        this.due += PCAP_HEADER;
        return true;
      }
      this.format = m === PCAPNG_SHB ? 'pcapng' : 'raw';
    }
    if (this.format === 'raw') return this.passRest();
    return this.format === 'pcap' ? this.pcapRecord() : this.pcapngBlock();
  }

  private async passRest(): Promise<boolean> {
    if (!(await this.need(1))) return false;
    this.due = this.len;
    return true;
  }

  private async pcapRecord(): Promise<boolean> {
    if (!(await this.need(PCAP_RECORD_HEADER))) return false;
    const at = this.due;
    const incl = this.u32(at + 8);
    if (incl > MAX_RECORD) return this.passRest();
    const ts = this.u32(at) + this.u32(at + 4) / (this.nano ? 1e9 : 1e6);
    if (!(await this.need(PCAP_RECORD_HEADER + incl))) return false;
    await this.waitFor(ts);
    this.due += PCAP_RECORD_HEADER + incl;
    return true;
  }

  private async pcapngBlock(): Promise<boolean> {
    if (!(await this.need(12))) return false;
    const at = this.due;
    const type = this.u32(at, true) === PCAPNG_SHB ? PCAPNG_SHB : this.u32(at);
    if (type === PCAPNG_SHB) {
      const bom = this.u32(at + 8, true);
      this.le = bom === PCAPNG_BOM;
      this.ifaces = [];
    }
    const total = this.u32(at + 4);
    if (total < 12 || total > MAX_RECORD) return this.passRest();
    if (!(await this.need(total))) return false;
    if (type === PCAPNG_IDB) this.ifaces.push(this.idb(at, total));
    else if (type === PCAPNG_EPB && total >= 28) {
      const iface = this.ifaces[this.u32(at + 8)] ?? { unitsPerSec: 1e6, offsetSec: 0 };
      const units = this.u32(at + 12) * 4294967296 + this.u32(at + 16);
      await this.waitFor(units / iface.unitsPerSec + iface.offsetSec);
    }
    this.due += total;
    return true;
  }

  private idb(at: number, total: number): Iface {
    const f: Iface = { unitsPerSec: 1e6, offsetSec: 0 };
    let p = at + 16;
    const end = at + total - 4;
    while (p + 4 <= end) {
      const code = this.u16(p);
      const olen = this.u16(p + 2);
      const v = p + 4;
      if (code === 0) break;
      if (code === OPT_IF_TSRESOL && olen >= 1) {
        const r = this.buf[v];
        f.unitsPerSec = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === OPT_IF_TSOFFSET && olen >= 8) {
        const hi = this.u32(v);
        const lo = this.u32(v + 4);
        f.offsetSec = this.le ? lo * 4294967296 + hi : hi * 4294967296 + lo;
      }
      p = v + ((olen + 3) & ~3);
    }
    return f;
  }

  /** Waits until the capture time `ts`, scaled by speed, has come on the wall clock. */
  private async waitFor(ts: number): Promise<void> {
    if (!Number.isFinite(ts)) return;
    if (this.t0Capture === null) {
      this.t0Capture = ts;
      this.t0Wall = this.now();
      return;
    }
    for (;;) {
      if (this.signal?.aborted) return;
      const target = this.t0Wall + ((ts - this.t0Capture) * 1000) / this.speed;
      const wait = target - this.now();
      if (wait <= 0) return;
      await new Promise((r) => setTimeout(r, Math.min(wait, MAX_SLEEP_MS)));
    }
  }
}

/**
 * A source that reports end of input once `signal` is aborted (stdin, unpaced replays). Each read
 * (a large chunk) first yields to the event loop, so timers (store flushes, statistics) and the
 * network sinks run even while a file is read as fast as possible.
 */
export class StoppableSource implements ByteSource {
  constructor(
    private readonly inner: ByteSource,
    private readonly signal: AbortSignal,
  ) {}

  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    await new Promise((r) => setImmediate(r));
    if (this.signal.aborted) return 0;
    return this.inner.read(buf, off, len);
  }

  close(): void {
    this.inner.close();
  }
}
