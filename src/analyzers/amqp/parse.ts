// AMQP 0-9-1 (the AMQP Working Group's 0-9-1 specification, as RabbitMQ, Qpid and ActiveMQ speak
// it): the 8-byte protocol header a client opens with, then frames of type (1), channel (2),
// size (4), payload, frame-end 0xCE (§2.3.5, §4.2.3). Method frames carry class and method ids
// and their arguments (§4.2.4), in the domains of §4.2.5: octets, big-endian shorts, longs and
// long-longs, short strings (u8 length), long strings (u32 length) and field tables. Pure
// functions over (buffer, offset, length); nothing here allocates for frames it does not read.
import { FRAME_BAD, FRAME_NEED_MORE } from '../framing.js';
import { escapeBytes } from '../l2text.js';

export const AMQP_PORT = 5672;
export const FRAME_METHOD = 1;
export const FRAME_HEADER = 2;
export const FRAME_BODY = 3;
/** 8 in 0-9-1 (RabbitMQ); 0-8 used 4. */
export const FRAME_HEARTBEAT = 8;
const FRAME_HEARTBEAT_08 = 4;
export const FRAME_END = 0xce;
/** type, channel, size. */
export const FRAME_HEADER_LEN = 7;
/** Frames above this (RabbitMQ's frame_max defaults to 128 KiB) end the stream as not AMQP. */
export const MAX_FRAME = (1 << 20) + FRAME_HEADER_LEN + 1;
/** "AMQP" and four version octets. */
export const PROTOCOL_HEADER_LEN = 8;
/** Field-table entries read per table; nested tables deeper than this are skipped whole. */
const MAX_TABLE_ENTRIES = 64;
/** Longest string kept from a table or argument (a server's copyright line is ~60 bytes). */
const MAX_STRING = 256;

export const CLASS_CONNECTION = 10;
export const CLASS_CHANNEL = 20;
export const CLASS_EXCHANGE = 40;
export const CLASS_QUEUE = 50;
export const CLASS_BASIC = 60;
export const CLASS_TX = 90;
export const CLASS_CONFIRM = 85;

/** Method names by class × 65536 + method (§1.2 of the 0-9-1 spec, RabbitMQ's extensions). */
export const METHODS: Record<number, string> = {};
const def = (cls: number, className: string, methods: Record<number, string>): void => {
  for (const [m, n] of Object.entries(methods)) METHODS[cls * 65536 + Number(m)] = `${className}.${n}`;
};
def(CLASS_CONNECTION, 'Connection', { 10: 'Start', 11: 'Start-Ok', 20: 'Secure', 21: 'Secure-Ok', 30: 'Tune', 31: 'Tune-Ok', 40: 'Open', 41: 'Open-Ok', 50: 'Close', 51: 'Close-Ok', 60: 'Blocked', 61: 'Unblocked', 70: 'Update-Secret', 71: 'Update-Secret-Ok' });
def(CLASS_CHANNEL, 'Channel', { 10: 'Open', 11: 'Open-Ok', 20: 'Flow', 21: 'Flow-Ok', 40: 'Close', 41: 'Close-Ok' });
def(CLASS_EXCHANGE, 'Exchange', { 10: 'Declare', 11: 'Declare-Ok', 20: 'Delete', 21: 'Delete-Ok', 30: 'Bind', 31: 'Bind-Ok', 40: 'Unbind', 51: 'Unbind-Ok' });
def(CLASS_QUEUE, 'Queue', { 10: 'Declare', 11: 'Declare-Ok', 20: 'Bind', 21: 'Bind-Ok', 30: 'Purge', 31: 'Purge-Ok', 40: 'Delete', 41: 'Delete-Ok', 50: 'Unbind', 51: 'Unbind-Ok' });
def(CLASS_BASIC, 'Basic', { 10: 'Qos', 11: 'Qos-Ok', 20: 'Consume', 21: 'Consume-Ok', 30: 'Cancel', 31: 'Cancel-Ok', 40: 'Publish', 50: 'Return', 60: 'Deliver', 70: 'Get', 71: 'Get-Ok', 72: 'Get-Empty', 80: 'Ack', 90: 'Reject', 100: 'Recover-Async', 110: 'Recover', 111: 'Recover-Ok', 120: 'Nack' });
def(CLASS_CONFIRM, 'Confirm', { 10: 'Select', 11: 'Select-Ok' });
def(CLASS_TX, 'Tx', { 10: 'Select', 11: 'Select-Ok', 20: 'Commit', 21: 'Commit-Ok', 30: 'Rollback', 31: 'Rollback-Ok' });

const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
const u32 = (b: Uint8Array, p: number): number => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

/** Whether the bytes start with the protocol header ("AMQP" then four octets). */
export function isProtocolHeader(b: Uint8Array, off: number, len: number): boolean {
  return len >= 4 && b[off] === 0x41 && b[off + 1] === 0x4d && b[off + 2] === 0x51 && b[off + 3] === 0x50;
}

/** The version a protocol header asks for: 0-9-1, 0-9, 0-8, or AMQP 1.0 (and its SASL and TLS layers, RFC-less OASIS framing). */
export function headerVersion(b: Uint8Array, off: number): string {
  const v = `${b[off + 4]}.${b[off + 5]}.${b[off + 6]}.${b[off + 7]}`;
  return HEADER_VERSIONS[v] ?? v;
}

const HEADER_VERSIONS: Record<string, string> = {
  '0.0.9.1': '0-9-1',
  '1.1.0.9': '0-9',
  '1.1.8.0': '0-8',
  '1.1.9.1': '0-9-1',
  '0.1.0.0': '1.0',
  '2.1.0.0': '1.0 TLS',
  '3.1.0.0': '1.0 SASL',
};

/** AMQP 1.0 is another protocol under the same name: its frames are not 0-9-1's. */
export function isAmqp1(version: string): boolean {
  return version.startsWith('1.0');
}

function knownFrameType(t: number): boolean {
  return t === FRAME_METHOD || t === FRAME_HEADER || t === FRAME_BODY || t === FRAME_HEARTBEAT || t === FRAME_HEARTBEAT_08;
}

/** Length of the frame (or protocol header) at `off`, or a framing verdict. */
export function frameLength(b: Uint8Array, off: number, len: number): number {
  if (len >= 1 && b[off] === 0x41) {
    if (len < 4) return FRAME_NEED_MORE;
    return isProtocolHeader(b, off, len) ? PROTOCOL_HEADER_LEN : FRAME_BAD;
  }
  if (len < FRAME_HEADER_LEN) return len >= 1 && !knownFrameType(b[off]) ? FRAME_BAD : FRAME_NEED_MORE;
  if (!knownFrameType(b[off])) return FRAME_BAD;
  const size = u32(b, off + 3);
  if (size > MAX_FRAME - FRAME_HEADER_LEN - 1) return FRAME_BAD;
  return FRAME_HEADER_LEN + size + 1;
}

/**
 * Whether a whole frame of `len` bytes is well formed: its size field accounts for it and its
 * last octet is the frame-end. The payload is then at off + FRAME_HEADER_LEN, len - 8 octets.
 */
export function frameOk(b: Uint8Array, off: number, len: number): boolean {
  return len >= FRAME_HEADER_LEN + 1 && b[off + len - 1] === FRAME_END && FRAME_HEADER_LEN + u32(b, off + 3) + 1 === len;
}

/**
 * A cursor over a method's arguments; any read past the end sets `bad` and yields empty values.
 * An analyzer keeps one and resets it per frame (no allocation per frame).
 */
export class Args {
  b: Uint8Array;
  p: number;
  end: number;
  bad = false;
  constructor(b: Uint8Array, off: number, end: number) {
    this.b = b;
    this.p = off;
    this.end = end;
  }
  reset(b: Uint8Array, off: number, end: number): this {
    this.b = b;
    this.p = off;
    this.end = end;
    this.bad = false;
    return this;
  }
  private need(n: number): boolean {
    if (this.p + n > this.end) {
      this.bad = true;
      this.p = this.end;
      return false;
    }
    return true;
  }
  octet(): number {
    if (!this.need(1)) return 0;
    return this.b[this.p++];
  }
  short(): number {
    if (!this.need(2)) return 0;
    const v = u16(this.b, this.p);
    this.p += 2;
    return v;
  }
  long(): number {
    if (!this.need(4)) return 0;
    const v = u32(this.b, this.p);
    this.p += 4;
    return v;
  }
  skip(n: number): void {
    if (this.need(n)) this.p += n;
  }
  shortstr(): string {
    const n = this.octet();
    if (!this.need(n)) return '';
    const s = escapeBytes(this.b, this.p, this.p + Math.min(n, MAX_STRING));
    this.p += n;
    return s;
  }
  /** A long string's bytes, as offset and length into the buffer (secrets are never decoded). */
  longstrAt(): [number, number] {
    const n = this.long();
    if (!this.need(n)) return [this.p, 0];
    const at = this.p;
    this.p += n;
    return [at, n];
  }
  longstr(): string {
    const [at, n] = this.longstrAt();
    return escapeBytes(this.b, at, at + Math.min(n, MAX_STRING));
  }
  /** A field table: its top-level string and boolean values (nested tables and arrays are skipped). */
  table(): Map<string, string> {
    const out = new Map<string, string>();
    const n = this.long();
    if (!this.need(n)) return out;
    const t = new Args(this.b, this.p, this.p + n);
    this.p += n;
    for (let i = 0; i < MAX_TABLE_ENTRIES && t.p < t.end && !t.bad; i++) {
      const name = t.shortstr();
      const v = t.fieldValue();
      if (v !== null && !t.bad) out.set(name, v);
    }
    if (t.bad) this.bad = true;
    return out;
  }
  /** One field value (RabbitMQ's field types, the 0-9-1 errata); strings and scalars as text, others skipped (null). */
  fieldValue(): string | null {
    const type = this.octet();
    switch (type) {
      case 0x74: // 't' boolean
        return this.octet() !== 0 ? 'true' : 'false';
      case 0x62: // 'b' signed octet
      case 0x42: // 'B' octet
        return String(this.octet());
      case 0x73: // 's' short (RabbitMQ)
      case 0x75: // 'u' unsigned short
        return String(this.short());
      case 0x49: // 'I' long
      case 0x69: // 'i' unsigned long
        return String(this.long());
      case 0x6c: // 'l' long-long
      case 0x4c:
      case 0x54: // 'T' timestamp
      case 0x64: // 'd' double
        this.skip(8);
        return null;
      case 0x66: // 'f' float
        this.skip(4);
        return null;
      case 0x44: // 'D' decimal
        this.skip(5);
        return null;
      case 0x53: // 'S' long string
        return this.longstr();
      case 0x78: // 'x' byte array
      case 0x41: // 'A' array
      case 0x46: // 'F' nested table
        this.skip(this.long());
        return null;
      case 0x56: // 'V' void
        return null;
      default:
        this.bad = true;
        return null;
    }
  }
}

/** The user and the password's place in a Start-Ok response (PLAIN: authzid NUL user NUL pass; AMQPLAIN: a LOGIN/PASSWORD table). */
export interface SaslResponse {
  user: string;
  passwordAt: [number, number] | null;
}

export function parseResponse(mechanism: string, b: Uint8Array, at: number, n: number): SaslResponse | null {
  const end = at + n;
  if (mechanism === 'PLAIN') {
    // RFC 4616: [authzid] NUL authcid NUL passwd.
    let z1 = -1;
    for (let i = at; i < end; i++) {
      if (b[i] === 0) {
        z1 = i;
        break;
      }
    }
    if (z1 < 0) return null;
    let z2 = -1;
    for (let i = z1 + 1; i < end; i++) {
      if (b[i] === 0) {
        z2 = i;
        break;
      }
    }
    if (z2 < 0) return null;
    return { user: escapeBytes(b, z1 + 1, Math.min(z2, z1 + 1 + MAX_STRING)), passwordAt: [z2 + 1, end - z2 - 1] };
  }
  if (mechanism === 'AMQPLAIN') {
    // The table without its length prefix: shortstr name, type, value.
    const t = new Args(b, at, end);
    let user = '';
    let pass: [number, number] | null = null;
    for (let i = 0; i < MAX_TABLE_ENTRIES && t.p < end && !t.bad; i++) {
      const name = t.shortstr();
      if (b[t.p] === 0x53 && (name === 'LOGIN' || name === 'PASSWORD')) {
        t.p++;
        const v = t.longstrAt();
        if (name === 'LOGIN') user = escapeBytes(b, v[0], v[0] + Math.min(v[1], MAX_STRING));
        else pass = v;
      } else t.fieldValue();
    }
    return t.bad && pass === null ? null : { user, passwordAt: pass };
  }
  return null;
}
