// Byte sources for capture readers: a plain file read synchronously in large chunks, or any
// Node stream (gzip, stdin) pulled chunk by chunk. Either way memory stays bounded by the
// reader's buffer, whatever the capture size.
import { closeSync, createReadStream, openSync, read as readCb, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface ByteSource {
  /** Reads up to `len` bytes into `buf` at `off`; resolves 0 at end of input. */
  read(buf: Uint8Array, off: number, len: number): number | Promise<number>;
  /**
   * Optional: the same read, started now and finished on a background thread, so the reader
   * can decode one chunk while the kernel copies the next. Reads are issued one at a time.
   */
  readAhead?(buf: Uint8Array, off: number, len: number): Promise<number>;
  close(): void;
}

const GZIP_MAGIC0 = 0x1f;
const GZIP_MAGIC1 = 0x8b;

export class FileSource implements ByteSource {
  private fd: number;
  /** File offset of the next read-ahead (explicit, so a late read never moves a shared offset). */
  private pos = 0;
  private inFlight = false;
  private closeWanted = false;
  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }
  read(buf: Uint8Array, off: number, len: number): number {
    return readSync(this.fd, buf, off, len, null);
  }
  readAhead(buf: Uint8Array, off: number, len: number): Promise<number> {
    this.inFlight = true;
    return new Promise((resolve, reject) => {
      readCb(this.fd, buf, off, len, this.pos, (err, n) => {
        this.inFlight = false;
        if (this.closeWanted) this.close();
        if (err) reject(err);
        else {
          this.pos += n;
          resolve(n);
        }
      });
    });
  }
  close(): void {
    // A read still running on the thread pool keeps the descriptor until it returns: closed now,
    // its number could be reused by the next capture opened, under the read.
    if (this.inFlight) {
      this.closeWanted = true;
      return;
    }
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Pulls from an async-iterable stream; copies each chunk into the caller's buffer. */
export class StreamSource implements ByteSource {
  private it: AsyncIterator<Buffer>;
  private chunk: Buffer | null = null;
  private pos = 0;
  private done = false;
  constructor(private stream: Readable) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }
  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    let n = 0;
    while (n < len) {
      if (this.chunk === null || this.pos >= this.chunk.length) {
        if (this.done || n > 0) break;
        const r = await this.it.next();
        if (r.done) {
          this.done = true;
          break;
        }
        this.chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        this.pos = 0;
        continue;
      }
      const take = Math.min(len - n, this.chunk.length - this.pos);
      buf.set(this.chunk.subarray(this.pos, this.pos + take), off + n);
      this.pos += take;
      n += take;
    }
    return n;
  }
  close(): void {
    this.stream.destroy();
  }
}

/** Reads the first bytes of a file to tell whether it is gzip-compressed. */
function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === GZIP_MAGIC0 && b[1] === GZIP_MAGIC1;
  } finally {
    closeSync(fd);
  }
}

const STREAM_CHUNK = 1 << 22;

/** A source that sniffs gzip on a stream (stdin) by its first two bytes. */
class SniffingStreamSource implements ByteSource {
  private inner: StreamSource | null = null;
  constructor(private raw: Readable) {}
  private async init(): Promise<StreamSource> {
    const it = this.raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await it.next();
    const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
    const { Readable: R } = await import('node:stream');
    async function* rest(): AsyncGenerator<Buffer> {
      if (head.length) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    }
    let s: Readable = R.from(rest(), { objectMode: false });
    if (head.length >= 2 && head[0] === GZIP_MAGIC0 && head[1] === GZIP_MAGIC1) {
      s = s.pipe(createGunzip({ chunkSize: STREAM_CHUNK }));
    }
    return new StreamSource(s);
  }
  async read(buf: Uint8Array, off: number, len: number): Promise<number> {
    if (this.inner === null) this.inner = await this.init();
    return this.inner.read(buf, off, len);
  }
  close(): void {
    this.inner?.close();
    this.raw.destroy();
  }
}

export function openSource(path: string): ByteSource {
  if (path === '-') return new SniffingStreamSource(process.stdin);
  if (isGzipFile(path)) {
    const s = createReadStream(path, { highWaterMark: STREAM_CHUNK }).pipe(createGunzip({ chunkSize: STREAM_CHUNK }));
    return new StreamSource(s);
  }
  return new FileSource(path);
}

/** An in-memory capture (tests, fuzzing). */
export class BufferSource implements ByteSource {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}
  read(buf: Uint8Array, off: number, len: number): number {
    const n = Math.min(len, this.data.length - this.pos);
    buf.set(this.data.subarray(this.pos, this.pos + n), off);
    this.pos += n;
    return n;
  }
  close(): void {}
}
