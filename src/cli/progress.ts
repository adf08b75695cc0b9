// A one-line progress bar for file inputs when stderr is a terminal.
import type { WriteStream } from 'node:tty';

const WIDTH = 30;

export class ProgressBar {
  private last = '';
  constructor(private readonly out: WriteStream) {}

  update(path: string, done: number, total: number): void {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * WIDTH);
    const name = path.length > 40 ? '…' + path.slice(-39) : path;
    const line = `\r${name} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(frac * 100).toFixed(0)}%`;
    if (line !== this.last) {
      this.out.write(line);
      this.last = line;
    }
  }

  clear(): void {
    if (this.last !== '') this.out.write('\r' + ' '.repeat(this.last.length) + '\r');
    this.last = '';
  }
}
