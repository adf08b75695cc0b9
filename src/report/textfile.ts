// Large text outputs (report.json, report.html) written as they are produced: pieces gather in
// a string until about a mebibyte, then go to the file. Building a 40 MB report as one string
// held it (and its UTF-8 copy) whole in memory at the peak of the run.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_AT = 1 << 20;

export type TextSink = (s: string) => void;

export class TextFile {
  private fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  /** Appends text (bound: pass `file.write` as a TextSink). */
  readonly write: TextSink = (s: string): void => {
    this.pending.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_AT) this.flush();
  };

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Writes `text(sink)`'s output to `path`. */
export function writeTextFile(path: string, text: (sink: TextSink) => void): void {
  const f = new TextFile(path);
  try {
    text(f.write);
  } finally {
    f.close();
  }
}
