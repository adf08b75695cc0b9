// Apache JServ Protocol 1.3 (AJPv13 reference of the Tomcat connectors documentation): the binary
// protocol a web server (Apache httpd mod_jk/mod_proxy_ajp, IIS's isapi_redirect) forwards HTTP
// requests over to a servlet container (Tomcat, JBoss/WildFly, Jetty), TCP 8009. Packets from the
// web server start 0x12 0x34, those from the container 'A' 'B', then a 16-bit payload length.
// The first payload byte is the message type, except in the web server's request body packets,
// whose payload is a 16-bit data length and the data. Strings are a 16-bit length, the bytes and a
// NUL; length 0xFFFF is a null string with no bytes at all.
// Pure functions only. The connector's secret attribute is skipped, never read into a value.
import { parseAuthorization } from '../http/parse.js';

export const AJP_PORT = 8009;
export const AJP_HEADER_LEN = 4;
/** The 16-bit length field bounds a packet; Tomcat's packetSize goes up to 65536. */
export const MAX_PACKET = AJP_HEADER_LEN + 0xffff;
export const MAGIC_TO_CONTAINER = 0x1234;
/** 'A' 'B'. */
export const MAGIC_TO_SERVER = 0x4142;

/** Web server → container. */
export const AJP_FORWARD_REQUEST = 2;
export const AJP_SHUTDOWN = 7;
export const AJP_PING = 8;
export const AJP_CPING = 10;
/** Container → web server. */
export const AJP_SEND_BODY_CHUNK = 3;
export const AJP_SEND_HEADERS = 4;
export const AJP_END_RESPONSE = 5;
export const AJP_GET_BODY_CHUNK = 6;
export const AJP_CPONG = 9;

const NULL_STRING = 0xffff;
/** A header name of 0xA0xx is a coded one; anything else is a string's length. */
const CODED_HEADER = 0xa0;
const ARE_DONE = 0xff;
const SC_REQ_ATTRIBUTE = 0x0a;
const SC_SECRET = 0x0c;

/** Longest string value kept. */
export const MAX_VALUE = 256;
/** Attribute names listed per request. */
export const MAX_ATTRIBUTES = 16;

/** Method codes 1–27 (the reference's table); 0xFF is SC_M_JK_STORED, the name in attribute 0x0D. */
const METHODS = [
  '', 'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'ACL', 'REPORT',
  'VERSION-CONTROL', 'CHECKIN', 'CHECKOUT', 'UNCHECKOUT', 'SEARCH', 'MKWORKSPACE', 'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY',
];
const METHOD_STORED = 0xff;

/** Request header codes 0xA001–0xA00E. */
const REQUEST_HEADERS = ['', 'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'authorization', 'connection', 'content-type', 'content-length', 'cookie', 'cookie2', 'host', 'pragma', 'referer', 'user-agent'];
/** Response header codes 0xA001–0xA00B. */
const RESPONSE_HEADERS = ['', 'content-type', 'content-language', 'content-length', 'date', 'last-modified', 'location', 'set-cookie', 'set-cookie2', 'servlet-engine', 'status', 'www-authenticate'];
/** Attribute codes 0x01–0x0D (0x0A, req_attribute, carries its own name). */
const ATTRIBUTES = ['', 'context', 'servlet_path', 'remote_user', 'auth_type', 'query_string', 'route', 'ssl_cert', 'ssl_cipher', 'ssl_session', 'req_attribute', 'ssl_key_size', 'secret', 'stored_method'];

/** The request attributes that make Tomcat's default servlet serve another path (CVE-2020-1938). */
export const INCLUDE_PREFIX = 'javax.servlet.include.';

export interface ForwardRequest {
  method: string;
  protocol?: string;
  /** The path alone: AJP sends the query string as an attribute; a '?' in the URI is cut too. */
  uri?: string;
  has_query: boolean;
  remote_addr?: string;
  remote_host?: string;
  server_name?: string;
  server_port: number;
  is_ssl: boolean;
  host?: string;
  user_agent?: string;
  content_type?: string;
  content_length?: number;
  auth_scheme?: string;
  username?: string;
  /** Basic credentials' password bytes: the caller digests and zeroes them. */
  password?: Uint8Array;
  remote_user?: string;
  auth_type?: string;
  route?: string;
  ssl_cipher?: string;
  attributes: string[];
  has_secret: boolean;
  /** javax.servlet.include.* attributes by their last name part (request_uri, path_info, servlet_path). */
  include: Record<string, string>;
}

export interface SendHeaders {
  status: number;
  status_msg?: string;
  content_type?: string;
  server?: string;
  powered_by?: string;
  www_authenticate?: string;
}

/** A cursor over one packet's payload; `bad` once a field ran past its end. */
class Cursor {
  pos: number;
  bad = false;
  constructor(
    readonly buf: Uint8Array,
    off: number,
    readonly end: number,
  ) {
    this.pos = off;
  }

  byte(): number {
    if (this.pos + 1 > this.end) {
      this.bad = true;
      return 0;
    }
    return this.buf[this.pos++];
  }

  int16(): number {
    if (this.pos + 2 > this.end) {
      this.bad = true;
      return 0;
    }
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  /** The next string's bytes as [start, end) or null for a null string; skips its NUL. */
  span(): [number, number] | null {
    const n = this.int16();
    if (this.bad || n === NULL_STRING) return null;
    if (this.pos + n + 1 > this.end) {
      this.bad = true;
      return null;
    }
    const s = this.pos;
    this.pos += n + 1;
    return [s, s + n];
  }

  string(): string | undefined {
    const sp = this.span();
    if (sp === null) return undefined;
    return text(this.buf, sp[0], Math.min(sp[1], sp[0] + MAX_VALUE));
  }
}

function text(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

/** Total packet length from its first bytes: > 0 known, 0 need more, -1 not this direction's magic. */
export function packetLength(buf: Uint8Array, off: number, len: number, toContainer: boolean): number {
  if (len < AJP_HEADER_LEN) {
    if (len >= 1 && buf[off] !== (toContainer ? 0x12 : 0x41)) return -1;
    return 0;
  }
  const magic = (buf[off] << 8) | buf[off + 1];
  if (magic !== (toContainer ? MAGIC_TO_CONTAINER : MAGIC_TO_SERVER)) return -1;
  return AJP_HEADER_LEN + ((buf[off + 2] << 8) | buf[off + 3]);
}

/** A request body packet: its payload is a 16-bit data length and exactly that much data. */
export function bodyLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 2) return -1;
  const n = (buf[off] << 8) | buf[off + 1];
  return n === len - 2 ? n : -1;
}

/** The method's name by its code (a number in brackets when the table has none). */
export function methodName(code: number): string {
  return code > 0 && code < METHODS.length ? METHODS[code] : `<${code}>`;
}

/** A Forward Request's payload (from its type byte), or null when it is truncated. */
export function parseForwardRequest(buf: Uint8Array, off: number, len: number): ForwardRequest | null {
  const c = new Cursor(buf, off, off + len);
  if (c.byte() !== AJP_FORWARD_REQUEST) return null;
  const methodCode = c.byte();
  const r: ForwardRequest = { method: methodName(methodCode), has_query: false, server_port: 0, is_ssl: false, attributes: [], has_secret: false, include: {} };
  r.protocol = c.string();
  const uri = c.string();
  if (uri !== undefined) {
    const q = uri.indexOf('?');
    r.uri = q < 0 ? uri : uri.slice(0, q);
    if (q >= 0) r.has_query = true;
  }
  r.remote_addr = c.string();
  r.remote_host = c.string();
  r.server_name = c.string();
  r.server_port = c.int16();
  r.is_ssl = c.byte() !== 0;
  const nHeaders = c.int16();
  for (let i = 0; i < nHeaders && !c.bad; i++) {
    let name: string;
    if (c.pos < c.end && buf[c.pos] === CODED_HEADER) {
      const code = c.int16() & 0xff;
      name = code < REQUEST_HEADERS.length ? REQUEST_HEADERS[code] : '';
    } else name = (c.string() ?? '').toLowerCase();
    if (name === 'authorization') {
      const sp = c.span();
      if (sp !== null) authorization(r, buf, sp[0], sp[1]);
      continue;
    }
    const v = c.string();
    if (v === undefined) continue;
    if (name === 'host') r.host ??= v;
    else if (name === 'user-agent') r.user_agent ??= v;
    else if (name === 'content-type') r.content_type ??= v;
    else if (name === 'content-length' && /^\d{1,15}$/.test(v)) r.content_length = Number(v);
  }
  for (let i = 0; i < 256 && !c.bad; i++) {
    const code = c.byte();
    if (c.bad || code === ARE_DONE) break;
    if (code === SC_SECRET) {
      // Tomcat's requiredSecret/secret: a shared password, skipped unread.
      c.span();
      r.has_secret = true;
      addName(r.attributes, 'secret');
      continue;
    }
    if (code === SC_REQ_ATTRIBUTE) {
      const name = c.string() ?? '';
      const v = c.string();
      addName(r.attributes, name);
      if (name.startsWith(INCLUDE_PREFIX) && v !== undefined) r.include[name.slice(INCLUDE_PREFIX.length)] = v;
      continue;
    }
    if (code === 0 || code >= ATTRIBUTES.length) {
      // An unknown attribute's layout is unknown: stop here, keeping what was read.
      addName(r.attributes, `<0x${code.toString(16).padStart(2, '0')}>`);
      break;
    }
    const name = ATTRIBUTES[code];
    addName(r.attributes, name);
    if (name === 'query_string') {
      c.span();
      r.has_query = true;
      continue;
    }
    const v = c.string();
    if (v === undefined) continue;
    if (name === 'remote_user') r.remote_user = v;
    else if (name === 'auth_type') r.auth_type = v;
    else if (name === 'route') r.route = v;
    else if (name === 'ssl_cipher') r.ssl_cipher = v;
    else if (name === 'stored_method' && methodCode === METHOD_STORED) r.method = v;
  }
  if (c.bad) {
    r.password?.fill(0);
    return null;
  }
  return r;
}

function authorization(r: ForwardRequest, buf: Uint8Array, start: number, end: number): void {
  const a = parseAuthorization(Buffer.from(buf.buffer, buf.byteOffset + start, Math.min(end - start, 8192)).toString('latin1'));
  if (a === null) return;
  r.auth_scheme = a.scheme;
  if (a.user !== undefined) r.username = a.user;
  if (a.password !== undefined) r.password = Uint8Array.from(a.password);
}

function addName(list: string[], name: string): void {
  if (name !== '' && list.length < MAX_ATTRIBUTES && !list.includes(name)) list.push(name.slice(0, MAX_VALUE));
}

/** A Send Headers payload (from its type byte), or null when it is truncated. */
export function parseSendHeaders(buf: Uint8Array, off: number, len: number): SendHeaders | null {
  const c = new Cursor(buf, off, off + len);
  if (c.byte() !== AJP_SEND_HEADERS) return null;
  const r: SendHeaders = { status: c.int16() };
  r.status_msg = c.string();
  const n = c.int16();
  for (let i = 0; i < n && !c.bad; i++) {
    let name: string;
    if (c.pos < c.end && buf[c.pos] === CODED_HEADER) {
      const code = c.int16() & 0xff;
      name = code < RESPONSE_HEADERS.length ? RESPONSE_HEADERS[code] : '';
    } else name = (c.string() ?? '').toLowerCase();
    const v = c.string();
    if (v === undefined) continue;
    if (name === 'content-type') r.content_type ??= v;
    else if (name === 'server') r.server ??= v;
    else if (name === 'x-powered-by') r.powered_by = r.powered_by === undefined ? v : `${r.powered_by}, ${v}`.slice(0, MAX_VALUE);
    else if (name === 'www-authenticate') r.www_authenticate ??= v;
  }
  return c.bad ? null : r;
}
