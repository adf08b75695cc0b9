// Zeek-compatible JSON-lines log files: one object per line, Zeek's field names, unset fields
// omitted. Lines are encoded into a buffer (up to 256 KiB); a full buffer is written behind, on a libuv
// thread at its own file offset, while lines go on into a second buffer (if that write has not
// finished by the time the second buffer fills, the second is written synchronously, also at its
// own offset, so order never depends on which write lands first). close() waits for the last.
import { closeSync, mkdirSync, openSync, write as writeCb, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A log's buffer starts small and doubles at each flush up to BUF_MAX: most of the 80-odd logs
 * get a few lines, and each keeps two buffers (one being written behind). 256 KiB writes cost no
 * more than 1 MiB ones on the benchmark; 1 MiB buffers held 2 MiB per busy log (37 MiB of the
 * benchmark's peak, bench/RESULTS.md).
 */
const BUF_FIRST = 1 << 16;
const BUF_MAX = 1 << 18;

export class LogWriter {
  private fd = -1;
  /** Lines are encoded straight into this buffer and written when it fills. */
  private buf: Buffer | null = null;
  private pos = 0;
  /** The buffer free for the next swap, the write in flight, the file offset of the next chunk. */
  private spare: Buffer | null = null;
  private inFlight: Promise<void> | null = null;
  private writeError: Error | null = null;
  private fileOff = 0;
  private bufSize = BUF_FIRST;
  lines = 0;

  /** `path` null: count lines but write nothing (fuzzing, benchmarks of the core). */
  constructor(readonly path: string | null) {}

  private open(): void {
    if (this.path === null) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'w');
  }

  /** Writes a pre-serialised JSON object as one line. */
  writeLine(json: string): void {
    this.lines++;
    if (this.path === null) return;
    if (this.buf === null) this.buf = Buffer.allocUnsafe(this.bufSize);
    // UTF-8 needs at most 3 bytes per UTF-16 unit; flush first if it might not fit.
    const worst = json.length * 3 + 1;
    if (this.pos + worst > this.buf.length) {
      this.flush();
      if (worst > this.buf.length) this.buf = Buffer.allocUnsafe(worst);
    }
    this.pos += this.buf.write(json, this.pos, 'utf8');
    this.buf[this.pos++] = 0x0a;
  }

  write(rec: object): void {
    this.writeLine(JSON.stringify(rec));
  }

  // ---- byte-level line building (conn.log: no intermediate strings) ----------------------

  /** Starts a line of at most `max` bytes. Returns false when writing nothing (path null). */
  begin(max: number): boolean {
    this.lines++;
    if (this.path === null) return false;
    if (this.buf === null) this.buf = Buffer.allocUnsafe(this.bufSize);
    if (this.pos + max + 1 > this.buf.length) {
      this.flush();
      if (max + 1 > this.buf.length) this.buf = Buffer.allocUnsafe(max + 1);
    }
    return true;
  }

  /**
   * The buffer a line begun with begin() goes into, and the position in it: a writer of a hot
   * log (conn.log) fills it with local arithmetic and sets `rawPos` once at the end.
   */
  get rawBuf(): Buffer {
    return this.buf!;
  }
  get rawPos(): number {
    return this.pos;
  }
  set rawPos(p: number) {
    this.pos = p;
  }

  flush(): void {
    if (this.pos === 0 || this.buf === null) return;
    if (this.fd < 0) this.open();
    const len = this.pos;
    const at = this.fileOff;
    this.fileOff += len;
    this.pos = 0;
    if (this.inFlight === null) {
      const full = this.buf;
      this.inFlight = new Promise((resolve) => this.writeBehind(full, 0, len, at, resolve));
      if (this.bufSize < BUF_MAX) this.bufSize *= 2;
      this.buf = this.spare !== null && this.spare.length >= this.bufSize ? this.spare : Buffer.allocUnsafe(this.bufSize);
      this.spare = full;
      return;
    }
    let off = 0;
    while (off < len) off += writeSync(this.fd, this.buf, off, len - off, at + off);
  }

  private writeBehind(b: Buffer, off: number, len: number, at: number, done: () => void): void {
    writeCb(this.fd, b, off, len, at, (err, n) => {
      if (err !== null) {
        this.writeError = err;
      } else if (n < len) {
        this.writeBehind(b, off + n, len - n, at + n, done);
        return;
      }
      this.inFlight = null;
      done();
    });
  }

  /** Flushes, waits for the write behind, closes; with `createEmpty`, a log that never got a line still exists (empty). */
  async close(createEmpty = false): Promise<void> {
    this.flush();
    if (this.inFlight !== null) await this.inFlight;
    if (this.fd < 0 && createEmpty) this.open();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.buf = null;
    this.spare = null;
    if (this.writeError !== null) throw this.writeError;
  }
}

const ZEROS = ['', '0', '00', '000', '0000', '00000'];

/** Six-digit fraction with trailing zeros trimmed (at least one digit kept): 120000 → "12". */
function frac6(us: number): string {
  if (us === 0) return '0';
  let digits = 6;
  while (us % 10 === 0) {
    us /= 10;
    digits--;
  }
  const t = String(us);
  return ZEROS[digits - t.length] + t;
}

/** Seconds and nanoseconds → Zeek's JSON time: microseconds, trailing zeros trimmed. */
export function formatTime(sec: number, nsec: number): string {
  return `${sec}.${frac6(Math.floor(nsec / 1000))}`;
}

/** A non-negative duration in microseconds as Zeek's interval. */
export function formatInterval(us: number): string {
  const s = Math.floor(us / 1e6);
  return `${s}.${frac6(us - s * 1e6)}`;
}

/** Writes a non-negative integer (below 2^53) in decimal at `p`; returns the position after it. */
export function putUint(buf: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  if (n < 2147483648) {
    // Small integers (nearly all): integer division only.
    let v = n | 0;
    let digits = 1;
    for (let t = (v / 10) | 0; t > 0; t = (t / 10) | 0) digits++;
    const end = p + digits;
    let q = end;
    while (v > 0) {
      const d = (v / 10) | 0;
      buf[--q] = 48 + v - d * 10;
      v = d;
    }
    return end;
  }
  let digits = 0;
  for (let t = n; t >= 1; t = Math.floor(t / 10)) digits++;
  const end = p + digits;
  let q = end;
  while (n >= 1) {
    const d = Math.floor(n / 10);
    buf[--q] = 48 + (n - d * 10);
    n = d;
  }
  return end;
}

/** Writes seconds and a microsecond fraction, trailing zeros trimmed (Zeek's JSON time). */
export function putTime(buf: Uint8Array, p: number, sec: number, us: number): number {
  p = putUint(buf, p, sec);
  buf[p++] = 46; // '.'
  let u = us | 0; // below 10^6: integer arithmetic throughout
  if (u === 0) {
    buf[p] = 48;
    return p + 1;
  }
  let digits = 6;
  for (let q = (u / 10) | 0; u === q * 10; q = (u / 10) | 0) {
    u = q;
    digits--;
  }
  const end = p + digits;
  let q = end;
  for (let k = 0; k < digits; k++) {
    const d = (u / 10) | 0;
    buf[--q] = 48 + u - d * 10;
    u = d;
  }
  return end;
}
