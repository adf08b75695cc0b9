// A streaming reader of one direction of a RESP connection (RESP2/RESP3, redis.io "Redis
// serialization protocol specification"): header lines are read with a LineCursor, bulk payloads
// are skipped by their length without being buffered (a COMMAND DOCS answer is 170 KB), nested
// aggregates are counted on a bounded stack, and each complete top-level value is handed to a
// sink with only what the sink asked to keep: a client command's name (and its arguments only for
// the commands the analyzer reads), a reply's line, or a reply's bulk text or top-level items.
// Framing damage stops the direction (RESP cannot be resynchronised from the middle of a value)
// and is reported as a named weird by the caller.
import { LineCursor, latin1 } from '../textproto.js';
import { ARG_COMMANDS, MAX_BULK, MAX_LINE, T_ARRAY, T_ATTRIBUTE, T_MAP, T_VERBATIM, isAggregateType, isBlobType, isTypeByte } from './parse.js';

/** What a sink asks to keep of a value: nothing beyond its type and line, its bulk text, or its top-level items. */
export const CAPTURE_NONE = 0;
export const CAPTURE_TEXT = 1;
export const CAPTURE_ITEMS = 2;

/** Inline commands have no type byte. */
export const T_INLINE = 0;

const MAX_DEPTH = 32;
/** Bound of an aggregate's element count (Redis refuses multibulk lengths over 1024*1024*1024). */
const MAX_ELEMENTS = 1024 * 1024 * 1024;
/** Arguments of a command kept (AUTH, HELLO … AUTH, CONFIG SET, MIGRATE … AUTH2 need fewer). */
const MAX_ARGS = 24;
/** Bytes kept of one argument (an EVAL script is searched for its sandbox escape). */
const MAX_ARG = 4096;
/** Items of a reply kept (HELLO's map has 7 pairs). */
const MAX_ITEMS = 64;
const MAX_ITEM = 256;
/** Bytes kept of a bulk reply (INFO answers about 5 KB). */
const MAX_TEXT = 64 * 1024;
const VERBATIM_PREFIX = 4; // "txt:"

export interface RespMessage {
  /** The value's type byte (T_INLINE for an inline command). */
  type: number;
  /** A line value's text (simple string, error, integer …), an inline command's line, or the captured bulk text. */
  text: string;
  isNull: boolean;
  /** Elements of a top-level aggregate. */
  count: number;
  /** Captured top-level elements (a command's name and arguments, a reply's items). */
  items: string[];
}

export interface RespSink {
  /** A top-level value of `type` begins: what to keep of it (CAPTURE_*). */
  begin(type: number): number;
  message(m: RespMessage): void;
}

export const RESP_OK = 0;
export const RESP_BAD_TYPE = 1;
export const RESP_BAD_LENGTH = 2;
export const RESP_TOO_DEEP = 3;
export const RESP_LINE_TOO_LONG = 4;
export const RESP_STREAMED = 5;
/** The server side lost bytes: its replies can no longer be told apart. */
export const RESP_GAP = 6;

export class RespReader {
  private readonly cursor = new LineCursor(MAX_LINE);
  /** Elements still expected by each open aggregate. */
  private readonly left: number[] = [];
  private depth = 0;
  /** Bytes of the current blob still to come, its CR LF included; -1 outside one. */
  private blobLeft = -1;
  private blobCap = 0;
  private blobTop = false;
  private blobVerbatim = false;
  private cap: Uint8Array | null = null;
  private capLen = 0;
  private mode = CAPTURE_NONE;
  private msg: RespMessage = newMessage(0);
  /** Direct children of the top-level aggregate seen so far. */
  private child = 0;
  private argsWanted = false;
  /** Set on framing damage: the direction is not read any further. */
  status = RESP_OK;
  /** After a gap on the client side: lines are skipped up to the next "*<n>" header. */
  private resync = false;

  constructor(
    private readonly client: boolean,
    private readonly sink: RespSink,
  ) {}

  get broken(): boolean {
    return this.status !== RESP_OK;
  }

  feed(buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const cur = this.cursor;
    cur.load(buf, off, len);
    while (!this.broken) {
      if (this.blobLeft >= 0) {
        if (!this.blob()) break;
        continue;
      }
      const line = cur.lineBytes();
      if (line === null) break;
      this.line(line);
    }
    if (cur.overflows > 0 && !this.broken) this.status = RESP_LINE_TOO_LONG;
    cur.save();
  }

  /** Bytes were lost: the value in progress is dropped; the client side resynchronises on the next command. */
  gap(): void {
    this.cursor.reset();
    this.depth = 0;
    this.blobLeft = -1;
    this.cap = null;
    if (this.client) this.resync = true;
    else if (!this.broken) this.status = RESP_GAP;
  }

  /** Consumes blob payload; true when the blob ended. */
  private blob(): boolean {
    const cur = this.cursor;
    const n = Math.min(this.blobLeft, cur.avail());
    if (n === 0) return false;
    // Payload bytes still to come (the blob's CR LF excluded).
    const payloadLeft = this.blobLeft - 2;
    const keep = Math.min(n, payloadLeft, this.blobCap - this.capLen);
    if (keep > 0 && this.cap !== null) {
      this.cap.set(cur.b.subarray(cur.pos, cur.pos + keep), this.capLen);
      this.capLen += keep;
    }
    cur.skip(n);
    this.blobLeft -= n;
    if (this.blobLeft > 0) return false;
    this.blobLeft = -1;
    let text = '';
    if (this.cap !== null) {
      let start = 0;
      if (this.blobVerbatim && this.capLen >= VERBATIM_PREFIX) start = VERBATIM_PREFIX;
      text = latin1(this.cap, start, this.capLen);
      this.cap = null;
    }
    if (this.blobTop) this.msg.text = text;
    else this.item(text, true);
    this.done();
    return true;
  }

  private line(line: Uint8Array): void {
    if (this.resync) {
      if (line.length < 2 || line[0] !== T_ARRAY || line[1] < 0x30 || line[1] > 0x39) return;
      this.resync = false;
    }
    const top = this.depth === 0;
    if (line.length === 0) {
      // Redis skips empty lines between inline commands; inside a value one is damage.
      if (!top || !this.client) this.status = RESP_BAD_TYPE;
      return;
    }
    const t = line[0];
    if (top && this.client && t !== T_ARRAY) {
      this.start(T_INLINE);
      this.msg.text = latin1(line, 0, Math.min(line.length, MAX_ARG));
      this.sink.message(this.msg);
      return;
    }
    if (!isTypeByte(t)) {
      this.status = RESP_BAD_TYPE;
      return;
    }
    if (top) this.start(t);
    if (isBlobType(t)) {
      const n = this.length(line);
      if (n === null) return;
      if (n < 0) {
        this.nullValue(top);
        return;
      }
      if (n > MAX_BULK) {
        this.status = RESP_BAD_LENGTH;
        return;
      }
      this.blobLeft = n + 2;
      this.blobTop = top;
      this.blobVerbatim = t === T_VERBATIM;
      this.blobCap = top ? (this.mode === CAPTURE_TEXT ? Math.min(n, MAX_TEXT) : 0) : this.itemCap(n);
      this.cap = this.blobCap > 0 ? new Uint8Array(this.blobCap) : null;
      this.capLen = 0;
      return;
    }
    if (isAggregateType(t)) {
      const n = this.length(line);
      if (n === null) return;
      if (n < 0) {
        this.nullValue(top);
        return;
      }
      const elements = t === T_MAP || t === T_ATTRIBUTE ? n * 2 : n;
      if (elements > MAX_ELEMENTS) {
        this.status = RESP_BAD_LENGTH;
        return;
      }
      if (top) this.msg.count = n;
      else if (this.depth === 1) this.item('', false);
      if (elements === 0) {
        this.done();
        return;
      }
      if (this.depth >= MAX_DEPTH) {
        this.status = RESP_TOO_DEEP;
        return;
      }
      this.left[this.depth++] = elements;
      return;
    }
    // A line value: simple string, error, integer, null, boolean, double, big number.
    const text = latin1(line, 1, Math.min(line.length, MAX_ARG));
    if (top) this.msg.text = text;
    else this.item(text, true);
    this.done();
  }

  private start(type: number): void {
    this.msg = newMessage(type);
    this.child = 0;
    this.argsWanted = false;
    this.mode = this.sink.begin(type);
  }

  private nullValue(top: boolean): void {
    if (top) this.msg.isNull = true;
    else if (this.depth === 1) this.item('', false);
    this.done();
  }

  /** The header's length ("$5", "*-1"); null after marking the direction broken. */
  private length(line: Uint8Array): number | null {
    if (line.length === 2 && line[1] === 0x3f) {
      // "$?" / "*?": RESP3 streamed strings and aggregates, which Redis itself never sends.
      this.status = RESP_STREAMED;
      return null;
    }
    let i = 1;
    let neg = false;
    if (line[i] === 0x2d) {
      neg = true;
      i++;
    }
    if (i >= line.length || line.length - i > 10) {
      this.status = RESP_BAD_LENGTH;
      return null;
    }
    let n = 0;
    for (; i < line.length; i++) {
      const d = line[i] - 0x30;
      if (d < 0 || d > 9) {
        this.status = RESP_BAD_LENGTH;
        return null;
      }
      n = n * 10 + d;
    }
    if (neg) {
      if (n !== 1) this.status = RESP_BAD_LENGTH;
      return n === 1 ? -1 : null;
    }
    return n;
  }

  /** How many bytes of a direct child blob of `n` bytes to keep. */
  private itemCap(n: number): number {
    if (this.depth !== 1) return 0;
    if (this.client) {
      if (this.child === 0) return Math.min(n, 64);
      return this.argsWanted && this.child < MAX_ARGS ? Math.min(n, MAX_ARG) : 0;
    }
    return this.mode === CAPTURE_ITEMS && this.child < MAX_ITEMS ? Math.min(n, MAX_ITEM) : 0;
  }

  /** A direct child of the top-level aggregate ended (kept if `keep` and wanted). */
  private item(text: string, keep: boolean): void {
    if (this.depth !== 1) return;
    const i = this.child++;
    if (this.client) {
      if (i === 0) {
        this.msg.items.push(text);
        this.argsWanted = ARG_COMMANDS.has(text.toUpperCase());
      } else if (this.argsWanted && i < MAX_ARGS) this.msg.items.push(keep ? text.slice(0, MAX_ARG) : '');
      return;
    }
    if (this.mode === CAPTURE_ITEMS && i < MAX_ITEMS) this.msg.items.push(keep ? text.slice(0, MAX_ITEM) : '');
  }

  /** A value ended: close the aggregates it completes, and hand over the top-level value. */
  private done(): void {
    for (;;) {
      if (this.depth === 0) {
        this.sink.message(this.msg);
        return;
      }
      if (--this.left[this.depth - 1] > 0) return;
      this.depth--;
    }
  }
}

function newMessage(type: number): RespMessage {
  return { type, text: '', isNull: false, count: 0, items: [] };
}
