// The files inside a MIME message (RFC 2045–2047, 2183, 2231), as Zeek's MIME analyzer gives
// them to its file analysis: every leaf entity's body, decoded from base64 or quoted-printable,
// is one file (an e-mail's text, its HTML alternative, each attachment); multipart containers
// are walked by their boundaries (RFC 2046 §5.1), nested up to a bound. Fed one line at a time
// (without its CR LF) by the carrying protocol (SMTP DATA, after dot-unstuffing), it keeps only
// the decoder's few carried characters and the current entity's header fields.
//
// Line ends: in a 7bit/8bit/binary or quoted-printable body each line break is the body's own
// CR LF, except the one before a boundary delimiter, which belongs to the delimiter (RFC 2046
// §5.1.1); a message without parts ends with its last line's break. A quoted-printable line
// ending in "=" is a soft break (RFC 2045 §6.7 rule 5). A base64 body's line breaks are not
// data. Zeek's MIME analyzer does the same, except that it keeps the break before the delimiter
// in a quoted-printable part (its seen_bytes are 2 more there; Python's email package, like
// this module, drops it, and the hashes are those of the file a mail client saves).
import type { AnalyzerContext } from '../types.js';
import { dispositionFilename, mimeParam, multipartBoundary } from './params.js';
import { FileTap } from './file.js';

/** Nested multiparts followed (deeper ones are read as opaque bodies of their parent part). */
const MAX_DEPTH = 16;
/** Header field lines of one entity looked at, and the unfolded length of a field kept. */
const MAX_FIELDS = 100;
const MAX_FIELD = 4096;
/** Entities (parts) of one message turned into files. */
const MAX_FILES = 256;

const CR_LF = new Uint8Array([0x0d, 0x0a]);

/** base64 alphabet (RFC 4648 §4) → sextet; -1 for every other byte (skipped, RFC 2045 §6.8). */
const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
const PAD = 0x3d;

type Encoding = 'base64' | 'qp' | 'identity';

interface Entity {
  /** Zeek's depth: the entity's number in the message, in order of appearance, from 1. */
  index: number;
  type: string;
  boundary: string | null;
  encoding: Encoding;
  filename: string | null;
}

export class MimeFiles {
  /** Boundaries of the multiparts the current line is inside, outermost first. */
  private readonly stack: string[] = [];
  private entity: Entity | null = null;
  private inHeaders = false;
  private hName = '';
  private hValue = '';
  private fields = 0;
  private count = 0;
  private files = 0;
  private tap: FileTap | null = null;
  /** A line break held back until the next line shows whether it is data or the delimiter's. */
  private pendingBreak = false;
  /** Bytes were lost in the body before its file's first byte: the file starts damaged. */
  private lostBeforeFile = false;
  /** base64 sextets carried to the next line (fewer than four) and how many. */
  private b64acc = 0;
  private b64n = 0;
  /** Decoded bytes of one line, reused: the file tap hashes or copies them before the next line. */
  private out = new Uint8Array(1024);
  /** The fuids of the message's files, in order (smtp.log `fuids`). */
  readonly fuids: string[] = [];

  constructor(
    private readonly source: string,
    private readonly isOrig: boolean,
    /** The file's number in its connection, for its fuid. */
    private readonly nextIndex: () => number,
  ) {}

  /** The message's own header fields (unfolded) start the top-level entity. */
  begin(): void {
    this.stack.length = 0;
    this.entity = this.newEntity();
    this.inHeaders = true;
    this.fields = 0;
  }

  /** One header field of the top-level entity, already unfolded by the carrier. */
  topField(name: string, value: string): void {
    if (this.entity !== null && this.inHeaders) this.field(name, value);
  }

  /** The blank line after the top-level header. */
  topHeadersEnd(): void {
    if (this.entity !== null && this.inHeaders) this.headersEnd();
  }

  /**
   * One body line, without its CR LF (and already unstuffed of a leading dot). `unterminated`:
   * the message's last line had no CR LF (BDAT content need not end with one), so none is added.
   */
  line(ctx: AnalyzerContext, b: Uint8Array, unterminated = false): void {
    if (this.entity === null) return;
    if (b.length >= 2 && b[0] === 0x2d && b[1] === 0x2d && this.stack.length > 0 && this.delimiter(ctx, b)) return;
    if (this.inHeaders) {
      this.headerLine(b);
      return;
    }
    if (this.entity.boundary !== null) return; // a multipart's preamble or epilogue
    this.bodyLine(ctx, b, unterminated);
  }

  /** Bytes of the message were lost: the file in progress is damaged. */
  gap(): void {
    if (this.tap !== null) this.tap.gap(1);
    else if (this.entity !== null && !this.inHeaders && this.entity.boundary === null) this.lostBeforeFile = true;
  }

  /** The message ended (or its connection did): the file in progress is closed. */
  end(ctx: AnalyzerContext, cutShort = false): void {
    this.finishEntity(ctx, cutShort);
    this.entity = null;
    this.stack.length = 0;
  }

  private newEntity(): Entity {
    return { index: ++this.count, type: 'text/plain', boundary: null, encoding: 'identity', filename: null };
  }

  /** A line starting "--": a boundary of an enclosing multipart (innermost first), or data. */
  private delimiter(ctx: AnalyzerContext, b: Uint8Array): boolean {
    let text = '';
    const n = Math.min(b.length, 2 + 72 + 2 + 80);
    for (let i = 2; i < n; i++) text += String.fromCharCode(b[i]);
    text = text.replace(/[ \t]+$/, '');
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const bd = this.stack[k];
      if (!text.startsWith(bd)) continue;
      const rest = text.slice(bd.length);
      if (rest !== '' && rest !== '--') continue;
      this.finishEntity(ctx, false);
      this.stack.length = k + 1;
      if (rest === '--') {
        // The close delimiter: what follows, up to the parent's next boundary, is epilogue.
        this.stack.length = k;
        this.entity = { index: 0, type: 'multipart/epilogue', boundary: '', encoding: 'identity', filename: null };
        this.inHeaders = false;
      } else {
        this.entity = this.newEntity();
        this.inHeaders = true;
        this.fields = 0;
      }
      return true;
    }
    return false;
  }

  private headerLine(b: Uint8Array): void {
    if (b.length === 0) {
      this.headersEnd();
      return;
    }
    let s = '';
    for (let i = 0; i < b.length && i < MAX_FIELD; i++) s += String.fromCharCode(b[i]);
    const c0 = b[0];
    if (c0 === 0x20 || c0 === 0x09) {
      if (this.hName !== '' && this.hValue.length < MAX_FIELD) this.hValue += ' ' + s.trim();
      return;
    }
    this.endField();
    const colon = s.indexOf(':');
    if (colon <= 0 || ++this.fields > MAX_FIELDS) return;
    this.hName = s.slice(0, colon).trim().toLowerCase();
    this.hValue = s.slice(colon + 1).trim();
  }

  private endField(): void {
    if (this.hName === '') return;
    this.field(this.hName, this.hValue);
    this.hName = '';
    this.hValue = '';
  }

  private field(name: string, value: string): void {
    const e = this.entity!;
    switch (name.toLowerCase()) {
      case 'content-type': {
        const t = value.split(';')[0].trim().toLowerCase();
        if (t !== '') e.type = t;
        const bd = multipartBoundary(value);
        if (bd !== null) e.boundary = bd;
        if (e.filename === null) e.filename = mimeParam(value, 'name');
        break;
      }
      case 'content-transfer-encoding': {
        const v = value.trim().toLowerCase();
        e.encoding = v === 'base64' ? 'base64' : v === 'quoted-printable' ? 'qp' : 'identity';
        break;
      }
      case 'content-disposition': {
        const f = dispositionFilename(value);
        if (f !== null) e.filename = f;
        break;
      }
    }
  }

  private headersEnd(): void {
    this.endField();
    this.inHeaders = false;
    const e = this.entity!;
    // A multipart without a usable boundary, or nested too deep, is read as one opaque body.
    if (e.boundary !== null && this.stack.length < MAX_DEPTH) this.stack.push(e.boundary);
    else e.boundary = null;
    this.pendingBreak = false;
    this.lostBeforeFile = false;
    this.b64acc = 0;
    this.b64n = 0;
  }

  private bodyLine(ctx: AnalyzerContext, b: Uint8Array, unterminated: boolean): void {
    const e = this.entity!;
    if (e.encoding === 'base64') {
      const out = this.room(((b.length >> 2) + 1) * 3);
      let n = 0;
      let acc = this.b64acc;
      let k = this.b64n;
      for (let i = 0; i < b.length; i++) {
        const c = b[i];
        if (c === PAD) {
          n = this.flushB64(out, n, acc, k);
          acc = 0;
          k = 0;
          continue;
        }
        const v = B64[c];
        if (v < 0) continue;
        acc = (acc << 6) | v;
        if (++k === 4) {
          out[n++] = (acc >> 16) & 0xff;
          out[n++] = (acc >> 8) & 0xff;
          out[n++] = acc & 0xff;
          acc = 0;
          k = 0;
        }
      }
      this.b64acc = acc;
      this.b64n = k;
      this.data(ctx, out.subarray(0, n));
      return;
    }
    if (this.pendingBreak) this.data(ctx, CR_LF);
    this.pendingBreak = false;
    let hardBreak = true;
    if (e.encoding === 'qp') {
      let end = b.length;
      while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
      const soft = end > 0 && b[end - 1] === 0x3d;
      if (soft) end--;
      this.data(ctx, decodeQp(b, end, this.room(end)));
      hardBreak = !soft;
    } else this.data(ctx, b);
    if (!hardBreak || unterminated) return;
    // Inside a multipart the break may be the delimiter's: held until the next line says.
    // A message without parts ends with its last line's break (RFC 5321 §4.1.1.4: CRLF.CRLF).
    if (this.stack.length > 0) this.pendingBreak = true;
    else this.data(ctx, CR_LF);
  }

  /** The reused output buffer, at least `n` bytes. */
  private room(n: number): Uint8Array {
    if (this.out.length < n) this.out = new Uint8Array(Math.max(n, this.out.length * 2));
    return this.out;
  }

  /** The bytes of a last, padded base64 group: two sextets give one byte, three give two. */
  private flushB64(out: Uint8Array, n: number, acc: number, k: number): number {
    if (k === 2) out[n++] = (acc >> 4) & 0xff;
    else if (k === 3) {
      out[n++] = (acc >> 10) & 0xff;
      out[n++] = (acc >> 2) & 0xff;
    }
    return n;
  }

  private data(ctx: AnalyzerContext, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.tap === null) {
      if (this.files >= MAX_FILES) return;
      this.files++;
      const e = this.entity!;
      this.tap = new FileTap(ctx, { source: this.source, isOrig: this.isOrig, depth: e.index, filename: e.filename ?? undefined }, this.nextIndex());
      this.fuids.push(this.tap.fuid);
      if (this.lostBeforeFile) this.tap.gap(1);
    }
    this.tap.add(ctx, bytes, 0, bytes.length);
  }

  private finishEntity(ctx: AnalyzerContext, cutShort: boolean): void {
    const e = this.entity;
    if (e !== null && e.encoding === 'base64' && this.b64n > 0) {
      // A last group without its padding still decodes, as padded.
      const out = this.room(3);
      const n = this.flushB64(out, 0, this.b64acc, this.b64n);
      this.b64acc = 0;
      this.b64n = 0;
      this.data(ctx, out.subarray(0, n));
    }
    this.pendingBreak = false;
    if (this.tap !== null) {
      this.tap.close(ctx, cutShort);
      this.tap = null;
    }
  }
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Quoted-printable (RFC 2045 §6.7): "=XX" is a byte; a malformed "=" is kept as it is. */
function decodeQp(b: Uint8Array, end: number, out: Uint8Array): Uint8Array {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = b[i];
    if (c === 0x3d && i + 2 < end) {
      const h = hex(b[i + 1]);
      const l = hex(b[i + 2]);
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}
