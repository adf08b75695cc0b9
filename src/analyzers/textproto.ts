// Shared pieces of the line-oriented cleartext protocols (HTTP/1.x headers, FTP, SMTP, POP3,
// IMAP, Telnet): a bounded line cursor over reassembled stream bytes, SASL PLAIN/LOGIN decoding
// (RFC 4616, draft-murchison-sasl-login), the `credential` event and banner → product text.
import { formatAddr } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import { secretDigest } from './secret.js';
import type { AppEvent } from './types.js';

const EMPTY = new Uint8Array(0);
const LF = 0x0a;
const CR = 0x0d;

/**
 * Walks the bytes of one direction line by line without ever holding more than `maxLine`
 * bytes of an unfinished line. Callers may switch to raw mode between lines (`skip`) to step
 * over bodies and literals without buffering them.
 */
export class LineCursor {
  b: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  /** Lines dropped because they exceeded `maxLine` (the caller turns this into a weird). */
  overflows = 0;
  private carry: Uint8Array = EMPTY;
  private discarding = false;

  constructor(readonly maxLine: number) {}

  /** Makes `buf[off, off+len)` (after any carried partial line) the bytes to walk. */
  load(buf: Uint8Array, off: number, len: number): void {
    if (this.carry.length > 0) {
      const b = new Uint8Array(this.carry.length + len);
      b.set(this.carry, 0);
      b.set(buf.subarray(off, off + len), this.carry.length);
      this.b = b;
      this.pos = 0;
      this.end = b.length;
      this.carry = EMPTY;
    } else {
      this.b = buf;
      this.pos = off;
      this.end = off + len;
    }
  }

  avail(): number {
    return this.end - this.pos;
  }

  /** Consumes up to `n` raw bytes; returns how many were consumed. */
  skip(n: number): number {
    const k = Math.min(n, this.end - this.pos);
    this.pos += k;
    return k;
  }

  /** Index of the next `term` byte at or after pos, or -1. */
  private find(term: number): number {
    const b = this.b;
    for (let i = this.pos; i < this.end; i++) if (b[i] === term) return i;
    return -1;
  }

  /**
   * The next complete line without its CR LF as latin1 text, or null when no complete line is
   * buffered. Over-long lines are dropped whole and counted in `overflows`. `term` ends a line
   * other than at LF (rsync's NUL-terminated arguments); no CR is stripped then.
   */
  line(term = LF): string | null {
    const b = this.lineBytes(term);
    return b === null ? null : latin1(b, 0, b.length);
  }

  /** Like line() but returns the raw bytes (a view valid until the next load). */
  lineBytes(term = LF): Uint8Array | null {
    for (;;) {
      const i = this.find(term);
      if (i < 0) return null;
      const start = this.pos;
      this.pos = i + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      let stop = i;
      if (term === LF && stop > start && this.b[stop - 1] === CR) stop--;
      if (stop - start > this.maxLine) {
        this.overflows++;
        continue;
      }
      return this.b.subarray(start, stop);
    }
  }


  /**
   * The unfinished tail of the loaded bytes as a last line (a stream or message that does not
   * end in LF), consumed; null when there is none or it was too long.
   */
  tail(): Uint8Array | null {
    const start = this.pos;
    this.pos = this.end;
    if (this.discarding) {
      this.discarding = false;
      return null;
    }
    let stop = this.end;
    if (stop > start && this.b[stop - 1] === CR) stop--;
    if (stop <= start) return null;
    if (stop - start > this.maxLine) {
      this.overflows++;
      return null;
    }
    return this.b.subarray(start, stop);
  }

  /** Keeps the unfinished tail for the next load (dropped, and counted, past `maxLine`). */
  save(): void {
    const rest = this.end - this.pos;
    if (rest <= 0 || this.discarding) {
      this.carry = EMPTY;
    } else if (rest > this.maxLine) {
      this.overflows++;
      this.discarding = true;
      this.carry = EMPTY;
    } else {
      this.carry = this.b.slice(this.pos, this.end);
    }
    this.b = EMPTY;
    this.pos = 0;
    this.end = 0;
  }

  /** The unfinished line kept for the next load, if any (a view; valid until the next load or reset). */
  partial(): Uint8Array | null {
    return this.carry.length > 0 && !this.discarding ? this.carry : null;
  }

  /** Forgets any partial line (after a gap in the stream). */
  reset(): void {
    this.carry = EMPTY;
    this.discarding = false;
  }
}

export function latin1(b: Uint8Array, start: number, stop: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, stop - start).toString('latin1');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Header and banner text arrives as bytes; lines are read as latin1 so every byte survives.
 * Re-reads such a string as UTF-8 when it is valid UTF-8 (most non-ASCII text on the wire is).
 */
export function wireText(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  try {
    return UTF8.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
/** Longest base64 token decoded (SASL responses are short). */
const MAX_B64 = 8192;

/** Strict base64 decoding; null when the text is not base64. */
export function b64decode(s: string): Uint8Array | null {
  const t = s.trim();
  if (t.length === 0 || t.length > MAX_B64 || t.length % 4 === 1 || !B64_RE.test(t)) return null;
  return new Uint8Array(Buffer.from(t, 'base64'));
}

export interface SaslPlain {
  authzid: string;
  user: string;
  /** The password bytes: callers digest them and drop them. */
  pass: Uint8Array;
}

/** RFC 4616 §2: message = [authzid] NUL authcid NUL passwd. */
export function parseSaslPlain(b: Uint8Array): SaslPlain | null {
  const a = b.indexOf(0);
  if (a < 0) return null;
  const u = b.indexOf(0, a + 1);
  if (u < 0) return null;
  return {
    authzid: Buffer.from(b.subarray(0, a)).toString('utf8'),
    user: Buffer.from(b.subarray(a + 1, u)).toString('utf8'),
    pass: b.subarray(u + 1),
  };
}

/**
 * Fact: a user name with a password crossed the wire readable. `secret` is a keyed digest
 * (secret.ts) for the default-credential check; it is never logged.
 */
export interface CredentialEvent extends AppEvent {
  type: 'credential';
  protocol: string;
  user: string;
  secret: string;
  success?: boolean;
}

export function credentialEvent(protocol: string, user: string, pass: string | Uint8Array, success?: boolean): CredentialEvent {
  const ev: CredentialEvent = { type: 'credential', protocol, user, secret: secretDigest(pass) };
  if (success !== undefined) ev.success = success;
  return ev;
}

/** The server's and client's addresses as log strings. */
export function respHost(c: Conn): string {
  return formatAddr(c.r0, c.r1, c.r2, c.r3);
}
export function origHost(c: Conn): string {
  return formatAddr(c.o0, c.o1, c.o2, c.o3);
}

/** Longest banner text kept. */
export const MAX_BANNER = 200;

/**
 * A product name with version out of a greeting line ("220 mail ESMTP Postfix (Debian)",
 * "+OK Dovecot ready.", "220 (vsFTPd 3.0.5)"): the text in parentheses if it holds a version,
 * else the first "Name version" pair, else the known product word, else null.
 */
export function bannerProduct(text: string): string | null {
  // Protocol names are not products ("mx ESMTP Exim 4.69" names Exim).
  const t = text.slice(0, MAX_BANNER).replace(/\bE?SMTP\b/g, ' ');
  const paren = /\(([A-Za-z][\w.-]*[ /]v?\d+(?:\.\d+)+[^)]*)\)/.exec(t);
  if (paren !== null) return paren[1].trim();
  const pair = /\b([A-Za-z][A-Za-z-]*[A-Za-z](?: [A-Z][A-Za-z]+)?)[ /]v?(\d+\.\d+(?:\.\d+)*[a-z]?\d*)\b/.exec(t);
  if (pair !== null && !/^(ESMTP|SMTP|ready|version|Version|Server|Service|HTTP)$/.test(pair[1])) return `${pair[1]} ${pair[2]}`;
  const known = /\b(Postfix|Exim|Sendmail|Microsoft ESMTP MAIL Service|Microsoft FTP Service|Dovecot|Cyrus|Courier|qmail|ProFTPD|Pure-FTPd|vsFTPd|FileZilla Server|Zimbra|Exchange|MDaemon|hMailServer|Qpopper|UW IMAP|GroupWise)\b/i.exec(t);
  if (known !== null) return known[1];
  return null;
}

/** %XX decoding that keeps a malformed escape as sent instead of throwing. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
