// HTTP/1.x message framing, pure functions (RFC 9112): request line §3, status line §4, field
// lines §5 (obs-fold §5.2), message body length §6.3, chunked transfer coding §7.1; credentials
// in Authorization (RFC 9110 §11.6.2) for Basic (RFC 7617), Digest (RFC 7616), NTLM/Negotiate
// (RFC 4559). Nothing here keeps state or throws on bad input: malformed text gives null.
import { b64decode } from '../textproto.js';

/** Longest start or field line accepted; longer ones are dropped with a weird. */
export const MAX_LINE = 16 * 1024;

export interface RequestLine {
  method: string;
  uri: string;
  /** "1.1", "1.0", "0.9" when the line had no version (RFC 1945 simple request), or the
   * damaged text after "HTTP/" (see isVersion). */
  version: string;
}

export interface StatusLine {
  version: string;
  code: number;
  msg: string;
}

export interface Field {
  name: string;
  value: string;
}

// RFC 9110 §9 token: method names are tokens; real ones are short and upper case.
// The target may hold spaces when the line ends in an HTTP version: scanners and injection
// attempts send them unescaped ("GET /cgi-bin/x;cat /etc/passwd HTTP/1.1", Nikto), servers often
// accept them, and they are what a monitor must log.
const REQUEST_RE = /^([A-Za-z][A-Za-z0-9_.!#$%&'*+^`|~-]{0,31})[ \t]+(\S(?:.*?\S)??)(?:[ \t]+HTTP\/(\S{1,8}))?[ \t]*$/;
const STATUS_RE = /^HTTP\/(\d)\.(\d)[ \t]+(\d{3})(?:[ \t]+(.*?))?[ \t]*$/;
const FIELD_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseRequestLine(line: string): RequestLine | null {
  const m = REQUEST_RE.exec(line);
  if (m === null) return null;
  // A damaged version ("HTTP/d.1") is kept as sent: the rest of the request still parses,
  // and the caller reports it (Zeek carries on the same way).
  return { method: m[1], uri: m[2], version: m[3] === undefined ? '0.9' : m[3] };
}

/** A well-formed HTTP-version number (RFC 9112 §2.3). */
export function isVersion(v: string): boolean {
  return /^\d\.\d$/.test(v);
}

export function parseStatusLine(line: string): StatusLine | null {
  const m = STATUS_RE.exec(line);
  if (m === null) return null;
  return { version: `${m[1]}.${m[2]}`, code: Number(m[3]), msg: m[4] ?? '' };
}

/** "Name: value" → field; null if the name is not a token (RFC 9110 §5.1). */
export function parseField(line: string): Field | null {
  const c = line.indexOf(':');
  if (c <= 0) return null;
  const name = line.slice(0, c);
  if (!FIELD_NAME_RE.test(name)) return null;
  return { name, value: line.slice(c + 1).trim() };
}

/** A continuation line of an obsolete folded field (RFC 9112 §5.2). */
export function isFoldedLine(line: string): boolean {
  return line.length > 0 && (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09);
}

/** Content-Length: one non-negative decimal (identical repeats allowed, §6.3 item 5). */
export function parseContentLength(v: string): number | null {
  const parts = v.split(',').map((p) => p.trim());
  const first = parts[0];
  if (!/^\d{1,15}$/.test(first)) return null;
  for (const p of parts) if (p !== first) return null;
  return Number(first);
}

/** Transfer-Encoding whose final coding is chunked (§6.3 item 4). */
export function isChunked(v: string): boolean {
  const codings = v.split(',');
  return codings[codings.length - 1].trim().toLowerCase() === 'chunked';
}

/** chunk-size [ chunk-ext ] (§7.1); null if not hex. */
export function parseChunkSize(line: string): number | null {
  const m = /^[ \t]*([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(line);
  if (m === null) return null;
  return parseInt(m[1], 16);
}

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(v: string): string | null {
  const t = v.split(';')[0].trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : null;
}

export interface AuthInfo {
  /** Scheme as sent, lower case ("basic", "digest", "ntlm", "negotiate", "bearer" …). */
  scheme: string;
  user?: string;
  /** Basic only: the password bytes, to be digested by the caller and dropped. */
  password?: Uint8Array;
  /** NTLM / Negotiate: the base64 token as sent. */
  blob?: string;
}

/** Longest user name kept from a credential. */
export const MAX_USER = 256;

/** Authorization / Proxy-Authorization value → scheme and, where the scheme carries it, the user. */
export function parseAuthorization(v: string): AuthInfo | null {
  const m = /^([A-Za-z][A-Za-z0-9._~+/-]*)(?:[ \t]+(.*))?$/.exec(v.trim());
  if (m === null) return null;
  const scheme = m[1].toLowerCase();
  const rest = (m[2] ?? '').trim();
  const out: AuthInfo = { scheme };
  if (scheme === 'basic') {
    const raw = b64decode(rest);
    if (raw === null) return out;
    // RFC 7617 §2: user-id cannot contain ':', the password may.
    const colon = raw.indexOf(0x3a);
    const userBytes = colon < 0 ? raw : raw.subarray(0, colon);
    out.user = Buffer.from(userBytes).toString('utf8').slice(0, MAX_USER);
    if (colon >= 0) out.password = raw.subarray(colon + 1);
  } else if (scheme === 'digest') {
    const u = /(?:^|[\s,])username\*?[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/i.exec(rest);
    if (u !== null) out.user = (u[1] ?? u[2]).replace(/\\(.)/g, '$1').slice(0, MAX_USER);
  } else if (scheme === 'ntlm' || scheme === 'negotiate') {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(rest)) out.blob = rest;
  }
  return out;
}

/** Schemes offered in a WWW-Authenticate / Proxy-Authenticate value (RFC 9110 §11.6.1). */
export function challengeSchemes(v: string): string[] {
  const out: string[] = [];
  // A challenge starts at the beginning or after a comma, with a token not followed by '='.
  const re = /(?:^|,)[ \t]*([A-Za-z][A-Za-z0-9._~+/-]*)(?=[ \t]+[^=,]|[ \t]*(?:,|$))/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(v)) !== null && n++ < 16) {
    const s = m[1].toLowerCase();
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

const HEX = '0123456789abcdef';

/**
 * Decodes %XX escapes of a request target as Zeek's unescape_URI does; bytes that are not
 * printable text afterwards are written as \xNN so logs stay one line of valid text.
 */
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

export function unescapeUri(uri: string): string {
  // Most URIs are printable ASCII without escapes: they come out as they went in.
  let plain = true;
  for (let i = 0; i < uri.length && plain; i++) {
    const ch = uri.charCodeAt(i);
    plain = ch >= 0x20 && ch < 0x7f && ch !== 0x25;
  }
  if (plain) return uri;
  const bytes: number[] = [];
  for (let i = 0; i < uri.length; i++) {
    const ch = uri.charCodeAt(i);
    if (ch === 0x25 && i + 2 < uri.length && isHex(uri.charCodeAt(i + 1)) && isHex(uri.charCodeAt(i + 2))) {
      bytes.push(parseInt(uri.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch & 0xff);
  }
  const b = Uint8Array.from(bytes);
  let text: string | null = null;
  try {
    text = UTF8_STRICT.decode(b);
  } catch {
    text = null;
  }
  if (text !== null && !/[\x00-\x1f\x7f]/.test(text)) return text;
  let s = '';
  for (const x of b) s += x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : `\\x${HEX[x >> 4]}${HEX[x & 15]}`;
  return s;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Methods a probe accepts as the start of a client stream (RFC 9110 §9, WebDAV RFC 4918). */
export const METHODS = [
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT',
];
