// Zeek-compatible JSON-lines log files: one object per line, Zeek's field names, unset fields
// omitted. Lines are batched into large synchronous writes.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_AT = 1 << 20;

export class LogWriter {
  private fd = -1;
  private parts: string[] = [];
  private pending = 0;
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
    this.parts.push(json);
    this.pending += json.length + 1;
    this.lines++;
    if (this.pending >= FLUSH_AT) this.flush();
  }

  write(rec: object): void {
    this.writeLine(JSON.stringify(rec));
  }

  flush(): void {
    if (this.parts.length === 0) return;
    if (this.path === null) {
      this.parts = [];
      this.pending = 0;
      return;
    }
    if (this.fd < 0) this.open();
    writeSync(this.fd, this.parts.join('\n') + '\n');
    this.parts = [];
    this.pending = 0;
  }

  /** Flushes and closes; a log that never got a line still exists (empty), as Zeek's do not. */
  close(createEmpty = false): void {
    this.flush();
    if (this.fd < 0 && createEmpty) this.open();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Seconds and nanoseconds → Zeek's JSON time: microseconds, trailing zeros trimmed. */
export function formatTime(sec: number, nsec: number): string {
  const us = Math.floor(nsec / 1000);
  if (us === 0) return `${sec}.0`;
  return `${sec}.${String(us).padStart(6, '0').replace(/0+$/, '')}`;
}

/** A non-negative duration in microseconds as Zeek's interval. */
export function formatInterval(us: number): string {
  const s = Math.floor(us / 1e6);
  const frac = us - s * 1e6;
  if (frac === 0) return `${s}.0`;
  return `${s}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}
