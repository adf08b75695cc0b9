// The parts of a multipart HTTP body (RFC 2046 §5.1, RFC 7578 multipart/form-data) as files,
// as Zeek's HTTP analyzer hands each MIME part to its file analysis: an upload form's files get
// their own name (Content-Disposition filename), media type and hashes, not the form's. Parts are
// streamed: the delimiter ("CRLF--boundary") is searched byte by byte with a Knuth–Morris–Pratt
// automaton that carries its partial match across chunks, so a part of any size (a firmware image
// uploaded to a device's web interface) is hashed without being held; only a part's header
// block is kept (bounded). Parts are not decoded (form-data is sent as is, RFC 7578 §4.7).
// Until the first delimiter shows, the body is also hashed whole: a body that never has one (a
// mislabelled or malformed message) is then one file, as it would be without the label.
import type { AnalyzerContext } from '../types.js';
import { FileTap, type FileOpen } from './file.js';
import type { FileEvent } from './events.js';
import { dispositionFilename, mimeParam } from './params.js';

/** Bytes of one part's header block kept; a longer one is skipped (the part is then unnamed). */
const MAX_PART_HEADERS = 8 * 1024;
/** Parts of one body turned into files. */
const MAX_PARTS = 256;

const P_PREAMBLE = 0;
const P_AFTER_DELIM = 1;
const P_HEADERS = 2;
const P_BODY = 3;
const P_EPILOGUE = 4;


export class MultipartTap {
  private readonly delim: Uint8Array;
  /** KMP failure function of the delimiter. */
  private readonly fail: Int32Array;
  /** Delimiter bytes matched so far (the candidate), and those of them held from earlier chunks. */
  private k = 0;
  private carry: Uint8Array;
  /** The other carry buffer: the two swap, so holding a prefix allocates nothing. */
  private spare: Uint8Array;
  private carryLen = 0;
  private state = P_PREAMBLE;
  private after = 0;
  private headers: number[] = [];
  private headersOverflow = false;
  private part: FileTap | null = null;
  private partName: string | undefined;
  private parts = 0;
  private readonly closed: FileEvent[] = [];
  /** The whole body as a file, until a delimiter shows that it has parts. */
  private whole: FileTap | null = null;
  private wholeIndex = -1;
  private delimiterSeen = false;
  /** The file number the discarded whole-body file took, for the first part. */
  private spareIndex = -1;

  constructor(
    private readonly open: FileOpen,
    boundary: string,
    private readonly nextIndex: () => number,
  ) {
    this.delim = Uint8Array.from(Buffer.from(`\r\n--${boundary}`, 'latin1'));
    const d = this.delim;
    this.fail = new Int32Array(d.length);
    for (let i = 1, j = 0; i < d.length; i++) {
      while (j > 0 && d[i] !== d[j]) j = this.fail[j - 1];
      if (d[i] === d[j]) j++;
      this.fail[i] = j;
    }
    this.carry = new Uint8Array(d.length);
    this.spare = new Uint8Array(d.length);
    // The first delimiter may open the body without a line break before it: as if one came.
    this.k = 2;
    this.carry[0] = 0x0d;
    this.carry[1] = 0x0a;
    this.carryLen = 2;
  }

  add(ctx: AnalyzerContext, buf: Uint8Array, off: number, n: number): void {
    if (!this.delimiterSeen) {
      if (this.whole === null) {
        this.wholeIndex = this.nextIndex();
        this.whole = new FileTap(ctx, this.open, this.wholeIndex);
      }
      this.whole.add(ctx, buf, off, n);
    }
    const end = off + n;
    let p = off;
    while (p < end) {
      switch (this.state) {
        case P_AFTER_DELIM:
          p = this.afterDelimiter(buf, p, end);
          break;
        case P_HEADERS:
          p = this.headerBytes(buf, p, end);
          break;
        case P_EPILOGUE:
          return;
        default:
          p = this.scan(ctx, buf, p, end);
      }
    }
  }

  /** Bytes were lost: the part in progress is damaged (and a delimiter in the hole is missed). */
  gap(n: number): void {
    this.whole?.gap(n);
    if (this.state === P_BODY && this.part !== null) this.part.gap(n);
    this.k = 0;
    this.carryLen = 0;
  }

  /** The body ended: the part in progress closes (cut short when the body did not close it). */
  close(ctx: AnalyzerContext, cutShort = false): FileEvent[] {
    if (this.whole !== null) {
      // No delimiter in the whole body: it is one file.
      const ev = this.whole.close(ctx, cutShort);
      this.whole = null;
      this.state = P_EPILOGUE;
      return ev === null ? [] : [ev];
    }
    if (this.state === P_BODY) {
      // Held delimiter-prefix bytes were the part's data after all.
      if (this.carryLen > 0) this.data(ctx, this.carry, 0, this.carryLen);
      this.carryLen = 0;
      this.endPart(ctx, true);
    }
    this.state = P_EPILOGUE;
    return this.closed;
  }

  /** Preamble or part data up to the next delimiter; returns where scanning stopped. */
  private scan(ctx: AnalyzerContext, buf: Uint8Array, p: number, end: number): number {
    const d = this.delim;
    const D = d.length;
    const fail = this.fail;
    let k = this.k;
    const k0 = this.carryLen;
    // Positions in "carry + buf[p..end)" space: emitted up to `pos`.
    let pos = 0;
    for (let i = p; i < end; i++) {
      const b = buf[i];
      while (k > 0 && d[k] !== b) k = fail[k - 1];
      if (d[k] === b) k++;
      if (k === D) {
        const stop = k0 + (i - p) + 1 - D;
        if (!this.delimiterSeen) {
          // The body has parts: the whole-body file is dropped, its number goes to the first part.
          this.delimiterSeen = true;
          this.whole = null;
          this.spareIndex = this.wholeIndex;
        }
        if (this.state === P_BODY) this.emit(ctx, buf, p, k0, pos, stop);
        this.endPart(ctx, false);
        this.k = 0;
        this.carryLen = 0;
        this.state = P_AFTER_DELIM;
        this.after = 0;
        return i + 1;
      }
    }
    // The last k bytes may start a delimiter: held; the rest is data.
    const total = k0 + (end - p);
    if (this.state === P_BODY) this.emit(ctx, buf, p, k0, pos, total - k);
    const c = this.spare;
    for (let j = 0; j < k; j++) {
      const at = total - k + j;
      c[j] = at < k0 ? this.carry[at] : buf[p + at - k0];
    }
    this.spare = this.carry;
    this.carry = c;
    this.carryLen = k;
    this.k = k;
    return end;
  }

  /** Data in [from, to) of "carry (k0 bytes) + buf from p". */
  private emit(ctx: AnalyzerContext, buf: Uint8Array, p: number, k0: number, from: number, to: number): void {
    if (to <= from) return;
    if (from < k0) this.data(ctx, this.carry, from, Math.min(to, k0) - from);
    if (to > k0) this.data(ctx, buf, p + Math.max(from, k0) - k0, to - Math.max(from, k0));
  }

  /** After "--boundary": "--" closes the body; otherwise the line's end starts a part's headers. */
  private afterDelimiter(buf: Uint8Array, p: number, end: number): number {
    while (p < end) {
      const b = buf[p++];
      if (this.after < 2 && b === 0x2d) {
        if (++this.after === 2) {
          this.state = P_EPILOGUE;
          return end;
        }
        continue;
      }
      this.after = 2;
      // Transport padding (RFC 2046 §5.1.1) up to the line feed.
      if (b === 0x0a) {
        this.state = P_HEADERS;
        this.headers = [];
        this.headersOverflow = false;
        return p;
      }
    }
    return p;
  }

  private headerBytes(buf: Uint8Array, p: number, end: number): number {
    const h = this.headers;
    while (p < end) {
      const b = buf[p++];
      if (h.length < MAX_PART_HEADERS) h.push(b);
      else this.headersOverflow = true;
      const n = h.length;
      // The blank line ends the block: CR LF CR LF or LF LF after fields, or at once (no fields).
      const blank = n === 1 || (n === 2 && h[0] === 0x0d) || (n >= 4 && h[n - 2] === 0x0d && h[n - 3] === 0x0a && h[n - 4] === 0x0d) || (n >= 2 && h[n - 2] === 0x0a);
      if (b === 0x0a && blank) {
        this.startPart();
        // The part's data starts on the next byte; a delimiter there still needs its CR LF.
        this.k = 0;
        this.carryLen = 0;
        return p;
      }
    }
    return p;
  }

  private startPart(): void {
    this.state = P_BODY;
    this.partName = undefined;
    if (this.headersOverflow) return;
    const text = Buffer.from(this.headers).toString('latin1');
    for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const c = line.indexOf(':');
      if (c <= 0) continue;
      if (line.slice(0, c).trim().toLowerCase() === 'content-disposition') {
        const f = dispositionFilename(line.slice(c + 1));
        if (f !== null) this.partName = f;
      }
    }
  }

  private data(ctx: AnalyzerContext, buf: Uint8Array, off: number, n: number): void {
    if (n <= 0) return;
    if (this.part === null) {
      if (this.parts >= MAX_PARTS) return;
      this.parts++;
      const o: FileOpen = { ...this.open };
      delete o.total;
      if (this.partName !== undefined) o.filename = this.partName;
      const index = this.spareIndex >= 0 ? this.spareIndex : this.nextIndex();
      this.spareIndex = -1;
      this.part = new FileTap(ctx, o, index);
    }
    this.part.add(ctx, buf, off, n);
  }

  private endPart(ctx: AnalyzerContext, cutShort: boolean): void {
    const f = this.part;
    this.part = null;
    if (f === null) return;
    const ev = f.close(ctx, cutShort);
    if (ev !== null) this.closed.push(ev);
  }
}
