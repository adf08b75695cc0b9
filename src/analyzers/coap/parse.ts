// CoAP message parser (RFC 7252 §3: 4-byte header, token, options in delta/length encoding, 0xFF
// payload marker; §5.10 option numbers; RFC 7641 Observe; RFC 7959 §2.2 Block1/Block2) and the
// CoRE link format of RFC 6690 §2 used by /.well-known/core answers and LwM2M registrations.
// Pure: bytes in, fields or a status out; never reads past `off + len`, never throws.
import { escapeBytes } from '../l2text.js';

export const COAP_VERSION = 1;
export const HEADER_LEN = 4;
export const MAX_TOKEN_LEN = 8;
export const PAYLOAD_MARKER = 0xff;

export const TYPE_CON = 0;
export const TYPE_NON = 1;
export const TYPE_ACK = 2;
export const TYPE_RST = 3;
export const TYPE_NAMES = ['CON', 'NON', 'ACK', 'RST'] as const;

export const CLASS_REQUEST = 0;
export const CLASS_SUCCESS = 2;
export const CLASS_CLIENT_ERROR = 4;
export const CLASS_SERVER_ERROR = 5;
export const CODE_EMPTY = 0;
/** Method codes 0.01–0.07 (RFC 7252 GET…DELETE, RFC 8132 FETCH/PATCH/iPATCH). */
export const MAX_METHOD = 7;

/** Option numbers (RFC 7252 §5.10, RFC 7641 §2, RFC 7959 §2.1). */
export const OPT_URI_HOST = 3;
export const OPT_OBSERVE = 6;
export const OPT_URI_PORT = 7;
export const OPT_URI_PATH = 11;
export const OPT_CONTENT_FORMAT = 12;
export const OPT_URI_QUERY = 15;
export const OPT_BLOCK2 = 23;
export const OPT_BLOCK1 = 27;

/** Extended delta/length forms (§3.1): nibble 13 adds one byte + 13, 14 two bytes + 269; 15 is reserved. */
const EXT_8 = 13;
const EXT_16 = 14;
const EXT_RESERVED = 15;
const EXT_8_BASE = 13;
const EXT_16_BASE = 269;
/** Observe and Block options are at most 3 bytes (RFC 7641 §2, RFC 7959 §2.2); ports and formats 2. */
const MAX_OBSERVE_LEN = 3;
const MAX_BLOCK_LEN = 3;
const MAX_SHORT_LEN = 2;
const BLOCK_SZX_RESERVED = 7;
const BLOCK_SZX_BASE = 4;

/** Bounds on what one message keeps. */
export const MAX_SEGMENTS = 16;
export const MAX_SEGMENT_TEXT = 255;
export const MAX_OPTIONS = 64;

/** Registered option numbers (IANA CoAP Option Numbers) a real sender uses. */
export const KNOWN_OPTIONS = new Set([1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 20, 23, 27, 28, 35, 39, 60, 258, 2049, 2050, 2051, 2052]);

/** Code names (RFC 7252 §12.1.1/§12.1.2, RFC 7959 §2.9, RFC 8132, RFC 8516). */
export const CODE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Empty',
  0x01: 'GET',
  0x02: 'POST',
  0x03: 'PUT',
  0x04: 'DELETE',
  0x05: 'FETCH',
  0x06: 'PATCH',
  0x07: 'iPATCH',
  0x41: 'Created',
  0x42: 'Deleted',
  0x43: 'Valid',
  0x44: 'Changed',
  0x45: 'Content',
  0x5f: 'Continue',
  0x80: 'Bad Request',
  0x81: 'Unauthorized',
  0x82: 'Bad Option',
  0x83: 'Forbidden',
  0x84: 'Not Found',
  0x85: 'Method Not Allowed',
  0x86: 'Not Acceptable',
  0x88: 'Request Entity Incomplete',
  0x89: 'Conflict',
  0x8c: 'Precondition Failed',
  0x8d: 'Request Entity Too Large',
  0x8f: 'Unsupported Content-Format',
  0x96: 'Unprocessable Entity',
  0x9d: 'Too Many Requests',
  0xa0: 'Internal Server Error',
  0xa1: 'Not Implemented',
  0xa2: 'Bad Gateway',
  0xa3: 'Service Unavailable',
  0xa4: 'Gateway Timeout',
  0xa5: 'Proxying Not Supported',
  0xa8: 'Hop Limit Reached',
};

/** Content-Format names (IANA CoAP Content-Formats; OMA LwM2M 1.x TLV/JSON/CBOR). */
export const CONTENT_FORMATS: Readonly<Record<number, string>> = {
  0: 'text/plain; charset=utf-8',
  40: 'application/link-format',
  41: 'application/xml',
  42: 'application/octet-stream',
  47: 'application/exi',
  50: 'application/json',
  60: 'application/cbor',
  110: 'application/senml+json',
  112: 'application/senml+cbor',
  11542: 'application/vnd.oma.lwm2m+tlv',
  11543: 'application/vnd.oma.lwm2m+json',
  11544: 'application/vnd.oma.lwm2m+cbor',
};
export const CF_LINK_FORMAT = 40;

export type CoapStatus = 'truncated' | 'bad_version' | 'bad_token_len' | 'bad_code' | 'bad_option' | 'bad_empty';

export interface Block {
  num: number;
  more: boolean;
  size: number;
}

export interface CoapMessage {
  type: number;
  /** class << 5 | detail. */
  code: number;
  mid: number;
  token: string;
  uriHost?: string;
  uriPort?: number;
  uriPath: string[];
  uriQuery: string[];
  contentFormat?: number;
  observe?: number;
  block1?: Block;
  block2?: Block;
  optionCount: number;
  /** Options whose number is registered (see KNOWN_OPTIONS). */
  knownOptions: number;
  payloadOff: number;
  payloadLen: number;
}

export function codeClass(code: number): number {
  return code >> 5;
}

/** "class.detail Name", e.g. "2.05 Content"; unnamed codes keep the numbers only. */
export function codeText(code: number): string {
  const d = code & 0x1f;
  const s = `${code >> 5}.${d < 10 ? '0' : ''}${d}`;
  const n = CODE_NAMES[code];
  return n === undefined ? s : `${s} ${n}`;
}

export function contentFormatText(cf: number): string {
  return CONTENT_FORMATS[cf] ?? String(cf);
}

const HEX = '0123456789abcdef';

function hex(buf: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[buf[off + i] >> 4] + HEX[buf[off + i] & 15];
  return s;
}

/** An RFC 3986 pchar is kept; anything else (and '/', '?', '&' inside a segment) is percent-encoded (RFC 7252 §6.5). */
function isPchar(b: number, query: boolean): boolean {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) return true;
  // - . _ ~ ! $ ' ( ) * + , ; = : @ ; '=' and '&' are part of a query's own syntax
  if (b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e || b === 0x21 || b === 0x24 || b === 0x27 || b === 0x28 || b === 0x29 || b === 0x2a || b === 0x2b || b === 0x2c || b === 0x3b || b === 0x3a || b === 0x40) return true;
  if (b === 0x3d) return true;
  if (query && b === 0x2f) return true;
  return false;
}

/** A path segment or query item as URI text, bounded. */
export function uriText(buf: Uint8Array, off: number, n: number, query: boolean): string {
  const m = Math.min(n, MAX_SEGMENT_TEXT);
  let s = '';
  for (let i = 0; i < m; i++) {
    const b = buf[off + i];
    s += isPchar(b, query) ? String.fromCharCode(b) : `%${HEX[b >> 4].toUpperCase()}${HEX[b & 15].toUpperCase()}`;
  }
  return s;
}

function uint(buf: Uint8Array, off: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + buf[off + i];
  return v;
}

/** Parses one CoAP datagram. */
export function parseCoap(buf: Uint8Array, off: number, len: number): CoapMessage | CoapStatus {
  if (len < HEADER_LEN) return 'truncated';
  const b0 = buf[off];
  if (b0 >> 6 !== COAP_VERSION) return 'bad_version';
  const tkl = b0 & 0x0f;
  if (tkl > MAX_TOKEN_LEN) return 'bad_token_len';
  const code = buf[off + 1];
  const cls = code >> 5;
  if (cls !== CLASS_REQUEST && cls !== CLASS_SUCCESS && cls !== CLASS_CLIENT_ERROR && cls !== CLASS_SERVER_ERROR) return 'bad_code';
  if (cls === CLASS_REQUEST && (code & 0x1f) > MAX_METHOD) return 'bad_code';
  const type = (b0 >> 4) & 3;
  const mid = (buf[off + 2] << 8) | buf[off + 3];
  // §4.1: an Empty message is the 4-byte header alone.
  if (code === CODE_EMPTY && (tkl !== 0 || len !== HEADER_LEN)) return 'bad_empty';
  const end = off + len;
  let p = off + HEADER_LEN;
  if (p + tkl > end) return 'truncated';
  const msg: CoapMessage = { type, code, mid, token: hex(buf, p, tkl), uriPath: [], uriQuery: [], optionCount: 0, knownOptions: 0, payloadOff: end, payloadLen: 0 };
  p += tkl;
  let number = 0;
  while (p < end) {
    const h = buf[p++];
    if (h === PAYLOAD_MARKER) {
      // §3: a marker followed by a zero-length payload is a format error.
      if (p >= end) return 'bad_option';
      msg.payloadOff = p;
      msg.payloadLen = end - p;
      return msg;
    }
    let delta = h >> 4;
    let olen = h & 0x0f;
    if (delta === EXT_RESERVED || olen === EXT_RESERVED) return 'bad_option';
    if (delta === EXT_8) {
      if (p >= end) return 'truncated';
      delta = buf[p++] + EXT_8_BASE;
    } else if (delta === EXT_16) {
      if (p + 2 > end) return 'truncated';
      delta = ((buf[p] << 8) | buf[p + 1]) + EXT_16_BASE;
      p += 2;
    }
    if (olen === EXT_8) {
      if (p >= end) return 'truncated';
      olen = buf[p++] + EXT_8_BASE;
    } else if (olen === EXT_16) {
      if (p + 2 > end) return 'truncated';
      olen = ((buf[p] << 8) | buf[p + 1]) + EXT_16_BASE;
      p += 2;
    }
    if (p + olen > end) return 'truncated';
    number += delta;
    if (++msg.optionCount > MAX_OPTIONS) return 'bad_option';
    if (KNOWN_OPTIONS.has(number)) msg.knownOptions++;
    option(msg, number, buf, p, olen);
    p += olen;
  }
  return msg;
}

function option(msg: CoapMessage, number: number, buf: Uint8Array, p: number, olen: number): void {
  switch (number) {
    case OPT_URI_HOST:
      msg.uriHost ??= uriText(buf, p, olen, false);
      break;
    case OPT_URI_PORT:
      if (olen <= MAX_SHORT_LEN) msg.uriPort ??= uint(buf, p, olen);
      break;
    case OPT_URI_PATH:
      if (msg.uriPath.length < MAX_SEGMENTS) msg.uriPath.push(uriText(buf, p, olen, false));
      break;
    case OPT_URI_QUERY:
      if (msg.uriQuery.length < MAX_SEGMENTS) msg.uriQuery.push(uriText(buf, p, olen, true));
      break;
    case OPT_CONTENT_FORMAT:
      if (olen <= MAX_SHORT_LEN) msg.contentFormat ??= uint(buf, p, olen);
      break;
    case OPT_OBSERVE:
      if (olen <= MAX_OBSERVE_LEN) msg.observe ??= uint(buf, p, olen);
      break;
    case OPT_BLOCK1:
    case OPT_BLOCK2: {
      if (olen > MAX_BLOCK_LEN) break;
      const v = uint(buf, p, olen);
      const szx = v & 7;
      if (szx === BLOCK_SZX_RESERVED) break;
      const blk: Block = { num: Math.floor(v / 16), more: (v & 8) !== 0, size: 1 << (szx + BLOCK_SZX_BASE) };
      if (number === OPT_BLOCK1) msg.block1 ??= blk;
      else msg.block2 ??= blk;
      break;
    }
  }
}

/** "/a/b?x=1&y" from the Uri-Path and Uri-Query options (§6.5). */
export function uriOf(path: readonly string[], query: readonly string[]): string {
  let s = '/' + path.join('/');
  if (query.length > 0) s += '?' + query.join('&');
  return s;
}

/** One entry of a CoRE link-format document (RFC 6690 §2). */
export interface Link {
  target: string;
  rt: string[];
  if: string[];
}

export const MAX_LINKS = 64;
const MAX_TARGET = 255;
const MAX_ATTR_VALUE = 127;
const MAX_ATTRS_PER_LINK = 16;

/**
 * Parses `</a>;rt="x y";if=z,</b>;ct=40` into targets and their rt/if values (bounded). A
 * malformed entry ends the list: what came before is kept. `rt` and `if` are space-separated
 * lists when quoted (RFC 6690 §3.1–3.2).
 */
export function parseLinkFormat(buf: Uint8Array, off: number, len: number): Link[] {
  const out: Link[] = [];
  const end = off + len;
  let p = off;
  while (p < end && out.length < MAX_LINKS) {
    while (p < end && (buf[p] === 0x20 || buf[p] === 0x0a || buf[p] === 0x0d)) p++;
    if (p >= end || buf[p] !== 0x3c) break; // '<'
    p++;
    const t0 = p;
    while (p < end && buf[p] !== 0x3e) p++;
    if (p >= end) break;
    const link: Link = { target: textOf(buf, t0, Math.min(p - t0, MAX_TARGET)), rt: [], if: [] };
    p++;
    let attrs = 0;
    while (p < end && buf[p] === 0x3b) {
      // ';' name ['=' (token | quoted-string)]
      p++;
      const n0 = p;
      while (p < end && buf[p] !== 0x3d && buf[p] !== 0x3b && buf[p] !== 0x2c) p++;
      const name = textOf(buf, n0, Math.min(p - n0, MAX_ATTR_VALUE)).trim();
      let value = '';
      if (p < end && buf[p] === 0x3d) {
        p++;
        if (p < end && buf[p] === 0x22) {
          p++;
          const v0 = p;
          while (p < end && buf[p] !== 0x22) p += buf[p] === 0x5c && p + 1 < end ? 2 : 1;
          value = textOf(buf, v0, Math.min(Math.min(p, end) - v0, MAX_ATTR_VALUE));
          if (p < end) p++;
        } else {
          const v0 = p;
          while (p < end && buf[p] !== 0x3b && buf[p] !== 0x2c) p++;
          value = textOf(buf, v0, Math.min(p - v0, MAX_ATTR_VALUE));
        }
      }
      if (++attrs <= MAX_ATTRS_PER_LINK && (name === 'rt' || name === 'if')) {
        for (const v of value.split(' ')) if (v !== '' && link[name].length < MAX_ATTRS_PER_LINK) link[name].push(v);
      }
    }
    out.push(link);
    while (p < end && buf[p] !== 0x2c) p++;
    p++;
  }
  return out;
}

/** Printable ASCII kept, everything else as \xNN (Zeek's escaping of non-printable bytes). */
function textOf(buf: Uint8Array, off: number, n: number): string {
  return escapeBytes(buf, off, off + n, true);
}

/** LwM2M registration parameters from a POST /rd's query (OMA LwM2M 1.x Core §6.2.1 / Transport §6.4.1). */
export interface Lwm2mRegistration {
  endpoint?: string;
  lifetime?: number;
  version?: string;
  binding?: string;
}

export function lwm2mRegistration(query: readonly string[]): Lwm2mRegistration {
  const r: Lwm2mRegistration = {};
  for (const q of query) {
    const eq = q.indexOf('=');
    if (eq < 0) continue;
    const k = q.slice(0, eq);
    const v = q.slice(eq + 1);
    if (k === 'ep') r.endpoint ??= v;
    else if (k === 'lt' && /^\d{1,10}$/.test(v)) r.lifetime ??= Number(v);
    else if (k === 'lwm2m') r.version ??= v;
    else if (k === 'b') r.binding ??= v;
  }
  return r;
}
