// A file whose bytes arrive at offsets (SMB reads and writes, MS-SMB2 §2.2.19–§2.2.21): the
// FileTap wants them in order, so a piece that comes early (a client with several reads in
// flight, answered out of order) is held until the bytes before it arrive, as Zeek's file
// reassembly does. What is held is bounded per file and for all files together; past it, or
// when the file closes, the bytes never seen become the file's missing bytes (and it gets no
// hashes). A piece that repeats bytes already taken (a re-read) adds only what is new.
import type { AnalyzerContext } from '../types.js';
import { FileTap, type FileOpen } from './file.js';
import type { FileEvent } from './events.js';

/** Early bytes held per file, and separate runs of them (a run: one out-of-order read or write). */
const MAX_HELD_BYTES = 4 * 1024 * 1024;
const MAX_HELD_PIECES = 64;
/** Early pieces held by all files at once: many sparse files in flight cannot exhaust memory. */
const HELD_BUDGET = 64 * 1024 * 1024;
let heldInUse = 0;

/** A held run of bytes; a streamed message's data arrives a segment at a time and grows one run. */
interface Piece {
  at: number;
  buf: Uint8Array;
  len: number;
}

/**
 * Offsets past this are taken for garbage (a mutated or misparsed message), not a file position:
 * 2^48 bytes (256 TiB) is beyond any file a hospital share holds, and keeps sums exact in doubles.
 */
const MAX_OFFSET = 2 ** 48;

/** First capacity of a run: most early pieces are a streamed read's first segment of many. */
const RUN_START = 16 * 1024;

export class RangedFile {
  readonly tap: FileTap;
  /** The next file offset the tap expects. */
  private next = 0;
  /** Early pieces, sorted by offset. */
  private held: Piece[] | null = null;
  private heldBytes = 0;

  constructor(ctx: AnalyzerContext, o: FileOpen, index: number) {
    this.tap = new FileTap(ctx, o, index);
  }

  get fuid(): string {
    return this.tap.fuid;
  }

  /** `n` bytes of the file at offset `at`. */
  data(ctx: AnalyzerContext, at: number, buf: Uint8Array, off: number, n: number): void {
    if (n <= 0 || at < 0 || at > MAX_OFFSET) return;
    if (at < this.next) {
      const dup = Math.min(n, this.next - at);
      at += dup;
      off += dup;
      n -= dup;
      if (n === 0) return;
    }
    if (at > this.next) {
      if (this.hold(at, buf, off, n)) return;
      // No room to wait for the hole: it is lost.
      this.release(ctx, at);
    }
    this.tap.add(ctx, buf, off, n);
    this.next += n;
    this.drain(ctx);
  }

  /** The bytes at [at, at + n) will never be seen (a capture hole in a read or write). */
  lost(ctx: AnalyzerContext, at: number, n: number): void {
    const end = at + n;
    if (n <= 0 || at > MAX_OFFSET || end <= this.next) return;
    this.release(ctx, end);
    if (end > this.next) {
      this.tap.gap(end - this.next);
      this.next = end;
    }
    this.drain(ctx);
  }

  /** The file closed (or its connection ended): held pieces go in after their holes, then the tap closes. */
  close(ctx: AnalyzerContext, cutShort = false): FileEvent | null {
    this.release(ctx, Infinity);
    return this.tap.close(ctx, cutShort);
  }

  private hold(at: number, buf: Uint8Array, off: number, n: number): boolean {
    const held = (this.held ??= []);
    if (this.heldBytes + n > MAX_HELD_BYTES || heldInUse + n > HELD_BUDGET) return false;
    let i = held.length;
    while (i > 0 && held[i - 1].at > at) i--;
    const prev = i > 0 ? held[i - 1] : null;
    if (prev !== null && prev.at + prev.len === at && (i === held.length || held[i].at >= at + n)) {
      // Continues the run before it: grow that run (doubling, so a run costs few copies).
      if (prev.len + n > prev.buf.length) {
        const grown = new Uint8Array(Math.max(prev.buf.length * 2, prev.len + n));
        grown.set(prev.buf.subarray(0, prev.len));
        prev.buf = grown;
      }
      prev.buf.set(buf.subarray(off, off + n), prev.len);
      prev.len += n;
    } else {
      if (held.length >= MAX_HELD_PIECES) return false;
      const b = new Uint8Array(Math.max(n, RUN_START));
      b.set(buf.subarray(off, off + n));
      held.splice(i, 0, { at, buf: b, len: n });
    }
    this.heldBytes += n;
    heldInUse += n;
    return true;
  }

  /** Gives up waiting for the bytes before `upTo`: every held piece that starts before it goes in, after a gap where bytes are missing. */
  private release(ctx: AnalyzerContext, upTo: number): void {
    const held = this.held;
    while (held !== null && held.length > 0 && held[0].at < upTo) {
      const p = this.shift();
      if (p.at > this.next) {
        this.tap.gap(p.at - this.next);
        this.next = p.at;
      }
      this.take(ctx, p);
    }
    if (upTo !== Infinity && upTo > this.next) {
      this.tap.gap(upTo - this.next);
      this.next = upTo;
    }
  }

  /** Held pieces that now follow on. */
  private drain(ctx: AnalyzerContext): void {
    const held = this.held;
    while (held !== null && held.length > 0 && held[0].at <= this.next) this.take(ctx, this.shift());
  }

  private shift(): Piece {
    const p = this.held!.shift()!;
    this.heldBytes -= p.len;
    heldInUse -= p.len;
    return p;
  }

  private take(ctx: AnalyzerContext, p: Piece): void {
    const skip = Math.max(0, this.next - p.at);
    if (skip >= p.len) return;
    this.tap.add(ctx, p.buf, skip, p.len - skip);
    this.next += p.len - skip;
  }
}
