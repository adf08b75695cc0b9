// SIP message parser (RFC 3261 §7: start line, header fields, body). Pure: bytes → one parsed
// message or a status; never reads past `off + len`, never throws. Header names come back in
// upper case with the compact forms of §7.3.3 (and later RFCs' registered ones) expanded, so
// "v:" and "Via:" read the same. The body is delimited by Content-Length (§18.3, §20.14); over
// UDP a missing Content-Length means the body runs to the end of the datagram.

export type ParseStatus = 'need_more' | 'bad';

/** Bytes of a start line plus header section accepted before a message is refused. */
export const MAX_HEAD = 16 * 1024;
/** Header fields kept per message (the rest are counted in `dropped`). */
export const MAX_HEADERS = 128;
/** Characters kept of one header value (a Via or Contact list can be long). */
export const MAX_VALUE = 2048;
/** A body larger than this is not plausible SIP signalling (SDP, SIP-frag, PIDF …). */
export const MAX_BODY = 1 << 20;
/** A datagram this short is a keep-alive, not a message (the shortest SIP message is longer). */
export const MAX_KEEPALIVE = 16;
/** The method and the version token of a start line (RFC 3261 §25.1 "token", "SIP-Version"). */
export const MAX_METHOD = 32;
const SIP_VERSION = 'SIP/2.0';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** Compact header names: RFC 3261 §7.3.3 and the IANA SIP parameters registry. */
const COMPACT: Record<string, string> = {
  A: 'ACCEPT-CONTACT',
  B: 'REFERRED-BY',
  C: 'CONTENT-TYPE',
  D: 'REQUEST-DISPOSITION',
  E: 'CONTENT-ENCODING',
  F: 'FROM',
  I: 'CALL-ID',
  J: 'REJECT-CONTACT',
  K: 'SUPPORTED',
  L: 'CONTENT-LENGTH',
  M: 'CONTACT',
  N: 'IDENTITY-INFO',
  O: 'EVENT',
  R: 'REFER-TO',
  S: 'SUBJECT',
  T: 'TO',
  U: 'ALLOW-EVENTS',
  V: 'VIA',
  X: 'SESSION-EXPIRES',
  Y: 'IDENTITY',
};

export interface SipMessage {
  kind: 'request' | 'response';
  /** Request: method and Request-URI. */
  method: string;
  uri: string;
  /** Response: status code and reason phrase. */
  code: number;
  reason: string;
  version: string;
  /** Header fields in order: [UPPER-CASE full name, value with surrounding whitespace removed]. */
  headers: [string, string][];
  /** Header fields beyond MAX_HEADERS, not kept. */
  dropped: number;
  /** The Content-Length value, or -1 when absent or unreadable. */
  contentLength: number;
  /** Bytes of the body. */
  bodyLen: number;
  /** Bytes consumed: start line, headers, blank line and body. */
  consumed: number;
}

export function isTokenChar(c: number): boolean {
  // RFC 3261 §25.1 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e;
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}

/** Index of the LF ending the line that starts at `from`, or -1 before `end`. */
function lineEnd(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === LF) return i;
  return -1;
}

/** Trims a line's CR. */
function stripCr(buf: Uint8Array, from: number, lf: number): number {
  return lf > from && buf[lf - 1] === CR ? lf - 1 : lf;
}

/** Parses the start line; null when it is not SIP. */
export function parseStartLine(line: string): Pick<SipMessage, 'kind' | 'method' | 'uri' | 'code' | 'reason' | 'version'> | null {
  if (line.startsWith(SIP_VERSION + ' ')) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    const m = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(line);
    if (m === null) return null;
    return { kind: 'response', method: '', uri: '', code: Number(m[1]), reason: (m[2] ?? '').trim(), version: SIP_VERSION };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1)
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0 || sp1 > MAX_METHOD) return null;
  const sp2 = line.lastIndexOf(' ');
  if (sp2 <= sp1 + 1) return null;
  const method = line.slice(0, sp1);
  for (let i = 0; i < method.length; i++) if (!isTokenChar(method.charCodeAt(i))) return null;
  const version = line.slice(sp2 + 1);
  if (version.toUpperCase() !== SIP_VERSION) return null;
  const uri = line.slice(sp1 + 1, sp2);
  // A Request-URI is an absolute URI (sip:, sips:, tel: …): scheme ":".
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) return null;
  return { kind: 'request', method, uri, code: 0, reason: '', version: SIP_VERSION };
}

/**
 * Parses one message at `off`. `datagram`: the bytes are one whole UDP datagram's rest, so a
 * message without Content-Length ends where the datagram does; on a stream it has no body.
 */
export function parseSipMessage(buf: Uint8Array, off: number, len: number, datagram: boolean): SipMessage | ParseStatus {
  if (len <= 0) return 'need_more';
  const end = off + len;
  const headEnd = Math.min(end, off + MAX_HEAD);
  const lf0 = lineEnd(buf, off, headEnd);
  if (lf0 < 0) return len >= MAX_HEAD || datagram ? 'bad' : 'need_more';
  const start = parseStartLine(latin1(buf, off, stripCr(buf, off, lf0)));
  if (start === null) return 'bad';
  const headers: [string, string][] = [];
  let dropped = 0;
  let pos = lf0 + 1;
  let bodyStart = -1;
  while (pos < headEnd) {
    const lf = lineEnd(buf, pos, headEnd);
    if (lf < 0) break;
    const stop = stripCr(buf, pos, lf);
    if (stop === pos) {
      bodyStart = lf + 1;
      break;
    }
    const c0 = buf[pos];
    if (c0 === SP || c0 === HT) {
      // Folded continuation of the previous field (§7.3.1): joined by one space.
      if (headers.length > 0) {
        const h = headers[headers.length - 1];
        if (h[1].length < MAX_VALUE) h[1] = (h[1] + ' ' + latin1(buf, pos, stop).trim()).slice(0, MAX_VALUE);
      }
      pos = lf + 1;
      continue;
    }
    let colon = -1;
    for (let i = pos; i < stop; i++) {
      if (buf[i] === COLON) {
        colon = i;
        break;
      }
    }
    if (colon <= pos) return 'bad';
    const name = latin1(buf, pos, colon).trim().toUpperCase();
    if (name.length === 0) return 'bad';
    for (let i = 0; i < name.length; i++) if (!isTokenChar(name.charCodeAt(i))) return 'bad';
    if (headers.length < MAX_HEADERS) {
      const full = name.length === 1 ? (COMPACT[name] ?? name) : name;
      headers.push([full, latin1(buf, colon + 1, Math.min(stop, colon + 1 + MAX_VALUE)).trim()]);
    } else dropped++;
    pos = lf + 1;
  }
  if (bodyStart < 0) {
    if (datagram) {
      // A datagram whose header section is cut short: keep the fields read, no body.
      bodyStart = end;
    } else return headEnd - off >= MAX_HEAD ? 'bad' : 'need_more';
  }
  let contentLength = -1;
  for (const h of headers) {
    if (h[0] === 'CONTENT-LENGTH') {
      contentLength = /^\d{1,9}$/.test(h[1]) ? Number(h[1]) : -1;
      break;
    }
  }
  let bodyLen: number;
  if (contentLength >= 0) {
    if (contentLength > MAX_BODY) return 'bad';
    bodyLen = contentLength;
    if (bodyStart + bodyLen > end) {
      // §18.3: a datagram shorter than its Content-Length is an error; take what is there.
      if (datagram) bodyLen = end - bodyStart;
      else return 'need_more';
    }
  } else bodyLen = datagram ? end - bodyStart : 0;
  return { ...start, headers, dropped, contentLength, bodyLen, consumed: bodyStart + bodyLen - off };
}

/** The first value of header `name` (upper case, full form). */
export function header(m: SipMessage, name: string): string | undefined {
  for (const h of m.headers) if (h[0] === name) return h[1];
  return undefined;
}

/** The user name of an Authorization / Proxy-Authorization Digest header (RFC 3261 §22.4, RFC 2617 §3.2.2). */
export function digestUsername(value: string): string | undefined {
  if (!/^digest\s/i.test(value)) return undefined;
  const m = /(?:^digest\s+|,)\s*username\s*=\s*(?:"((?:[^"\\]|\\.){0,256})"|([^\s,"]{1,256}))/i.exec(value);
  if (m === null) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** Bytes of CR/LF keep-alives (RFC 5626 §3.5.1) at `off`. */
export function skipKeepAlive(buf: Uint8Array, off: number, len: number): number {
  let i = 0;
  while (i < len && (buf[off + i] === CR || buf[off + i] === LF)) i++;
  return i;
}
