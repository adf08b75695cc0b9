// Large text outputs (report.json, report.html) written as they are produced: pieces are
// encoded into a 1 MiB buffer that goes to the file when full. Building a 40 MB report as one
// string held it (and its UTF-8 copy) whole in memory at the peak of the run.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const BUF_SIZE = 1 << 20;

export type TextSink = (s: string) => void;

export class TextFile {
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(BUF_SIZE);
  private pos = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  /** Appends text (bound: pass `file.write` as a TextSink). */
  readonly write: TextSink = (s: string): void => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.pos + s.length * 3 > BUF_SIZE) {
      this.flush();
      if (s.length * 3 > BUF_SIZE) {
        writeSync(this.fd, s);
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  };

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
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
