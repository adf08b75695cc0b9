// PostgreSQL frontend/backend protocol v3 (PostgreSQL docs, chapter 55 "Frontend/Backend
// Protocol": §55.2 Message Flow, §55.7 Message Formats, §55.8 Error and Notice Message Fields).
// The client's first message is untyped (Int32 length, Int32 code: StartupMessage,
// SSLRequest, GSSENCRequest, CancelRequest); every later message is typed (Byte1 type, Int32
// length counting itself). Pure functions over one message; strings are C strings (NUL-ended).

/** StartupMessage protocol 3.0: major 3 in the high 16 bits, minor 0. */
export const PROTOCOL_V3 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;
/** The server refuses longer startup packets (MAX_STARTUP_PACKET_LENGTH in the backend). */
export const MAX_STARTUP_LEN = 10000;
/** SSLRequest and GSSENCRequest: length 8; CancelRequest: 16. */
export const SSL_REQUEST_LEN = 8;
export const CANCEL_REQUEST_LEN = 16;
/** Byte1 type + Int32 length. */
export const TYPED_HEADER_LEN = 5;
export const UNTYPED_HEADER_LEN = 4;

/** Message type bytes the analyzer reads (§55.7). */
export const MSG_AUTH = 0x52; // 'R' Authentication*
export const MSG_ERROR = 0x45; // 'E' ErrorResponse
export const MSG_NOTICE = 0x4e; // 'N' NoticeResponse
export const MSG_PARAMETER_STATUS = 0x53; // 'S'
export const MSG_BACKEND_KEY = 0x4b; // 'K' BackendKeyData
export const MSG_READY = 0x5a; // 'Z' ReadyForQuery
export const MSG_DATA_ROW = 0x44; // 'D'
export const MSG_COMMAND_COMPLETE = 0x43; // 'C'
export const MSG_PASSWORD = 0x70; // 'p' PasswordMessage / SASL*Response / GSSResponse
export const MSG_QUERY = 0x51; // 'Q'
export const MSG_TERMINATE = 0x58; // 'X'
/** The server's one-byte answers to SSLRequest/GSSENCRequest. */
export const ANSWER_SSL = 0x53; // 'S'
export const ANSWER_GSS = 0x47; // 'G'
export const ANSWER_NO = 0x4e; // 'N'

/** Authentication request codes (§55.7 AuthenticationXXX). */
export const AUTH_OK = 0;
export const AUTH_CLEARTEXT = 3;
export const AUTH_MD5 = 5;
export const AUTH_SASL = 10;
/** The largest code Zeek's analyzer accepts (AuthenticationSASLFinal). */
export const AUTH_MAX = 12;

/** Zeek's names for the authentication codes (base/protocols/postgresql/consts.zeek). */
export const AUTH_NAMES: Record<number, string> = {
  2: 'KerberosV5',
  3: 'CleartextPassword',
  5: 'MD5Password',
  7: 'GSSAPI',
  8: 'GSSAPIContinue',
  9: 'SSPI',
  10: 'SASL',
  11: 'SASLContinue',
  12: 'SASLFinal',
};

export function authName(code: number): string {
  return AUTH_NAMES[code] ?? `UnknownAuthId${code}`;
}

/** Zeek's names for error and notice field codes (§55.8, consts.zeek). */
const FIELD_NAMES: Record<string, string> = {
  S: 'SeverityLocalized',
  V: 'Severity',
  C: 'Code',
  M: 'Message',
  D: 'Detail',
  H: 'Hint',
  P: 'Position',
  p: 'InternalPosition',
  q: 'InternalQuery',
  W: 'Where',
  s: 'Schema',
  t: 'Table',
  c: 'Column',
  d: 'Data',
  n: 'Constraint',
  F: 'File',
  L: 'Line',
  R: 'Routine',
};

export function fieldName(code: string): string {
  return FIELD_NAMES[code] ?? `UnknownErrorId${code}`;
}

const MAX_PARAMS = 64;
const MAX_FIELDS = 32;
const MAX_TEXT = 4096;

export const readU32 = (b: Uint8Array, o: number): number => ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
const readU16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];

/** Total length of an untyped (startup-phase) message, 0 when more bytes are needed, < 0 if invalid. */
export function untypedLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < UNTYPED_HEADER_LEN) return 0;
  const n = readU32(buf, off);
  return n < SSL_REQUEST_LEN || n > MAX_STARTUP_LEN ? -1 : n;
}

/** Total length of a typed message (type byte included), 0 for more bytes, < 0 if invalid. */
export function typedLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < TYPED_HEADER_LEN) return 0;
  const t = buf[off];
  // Message types are ASCII letters; anything else is not this protocol (or framing is lost).
  if (!((t >= 0x41 && t <= 0x5a) || (t >= 0x61 && t <= 0x7a) || t === 0x31 || t === 0x32 || t === 0x33)) return -1;
  const n = readU32(buf, off + 1);
  return n < 4 || n > 0x7fffffff ? -1 : n + 1;
}

/** A C string at `off`, not past `end`: its text (latin1, cut to MAX_TEXT) and the offset after the NUL. */
export function cstring(buf: Uint8Array, off: number, end: number): { s: string; next: number } | null {
  for (let i = off; i < end; i++) {
    if (buf[i] === 0) return { s: Buffer.from(buf.buffer, buf.byteOffset + off, Math.min(i - off, MAX_TEXT)).toString('latin1'), next: i + 1 };
  }
  return null;
}

export type StartupMessage =
  | { kind: 'startup'; major: number; minor: number; params: [string, string][] }
  | { kind: 'ssl_request' }
  | { kind: 'gssenc_request' }
  | { kind: 'cancel'; pid: number; key: number };

/** The client's first (untyped) message; `len` is the whole message including its length word. */
export function parseStartup(buf: Uint8Array, off: number, len: number): StartupMessage | null {
  if (len < SSL_REQUEST_LEN || untypedLength(buf, off, len) !== len) return null;
  const code = readU32(buf, off + 4);
  if (code === SSL_REQUEST_CODE) return len === SSL_REQUEST_LEN ? { kind: 'ssl_request' } : null;
  if (code === GSSENC_REQUEST_CODE) return len === SSL_REQUEST_LEN ? { kind: 'gssenc_request' } : null;
  if (code === CANCEL_REQUEST_CODE) return len === CANCEL_REQUEST_LEN ? { kind: 'cancel', pid: readU32(buf, off + 8), key: readU32(buf, off + 12) } : null;
  if (code >>> 16 !== 3) return null;
  const end = off + len;
  const params: [string, string][] = [];
  let p = off + 8;
  // name\0value\0 pairs up to a lone terminating \0.
  while (p < end && buf[p] !== 0) {
    const name = cstring(buf, p, end);
    if (name === null) return null;
    const value = cstring(buf, name.next, end);
    if (value === null) return null;
    if (params.length < MAX_PARAMS) params.push([name.s, value.s]);
    p = value.next;
  }
  if (p >= end) return null;
  return { kind: 'startup', major: code >>> 16, minor: code & 0xffff, params };
}

/** ErrorResponse / NoticeResponse body: (Byte1 code, String value)* then \0. */
export function parseFields(buf: Uint8Array, off: number, len: number): [string, string][] | null {
  const end = off + len;
  const out: [string, string][] = [];
  let p = off;
  while (p < end && buf[p] !== 0) {
    const v = cstring(buf, p + 1, end);
    if (v === null) return null;
    if (out.length < MAX_FIELDS) out.push([String.fromCharCode(buf[p]), v.s]);
    p = v.next;
  }
  return p < end ? out : null;
}

/** AuthenticationXXX body: the code, and for AuthenticationSASL the offered mechanisms. */
export function parseAuth(buf: Uint8Array, off: number, len: number): { code: number; mechanisms?: string[] } | null {
  if (len < 4) return null;
  const code = readU32(buf, off);
  if (code > AUTH_MAX || (code === AUTH_OK && len !== 4)) return null;
  if (code !== AUTH_SASL) return { code };
  const mechanisms: string[] = [];
  const end = off + len;
  let p = off + 4;
  while (p < end && buf[p] !== 0 && mechanisms.length < MAX_FIELDS) {
    const m = cstring(buf, p, end);
    if (m === null) break;
    mechanisms.push(m.s);
    p = m.next;
  }
  return { code, mechanisms };
}

/** ParameterStatus body: name and value. */
export function parseParameterStatus(buf: Uint8Array, off: number, len: number): { name: string; value: string } | null {
  const end = off + len;
  const n = cstring(buf, off, end);
  if (n === null || n.s === '') return null;
  const v = cstring(buf, n.next, end);
  return v === null ? null : { name: n.s, value: v.s };
}

/** ReadyForQuery transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed one. */
export function parseReady(buf: Uint8Array, off: number, len: number): string | null {
  if (len !== 1) return null;
  const s = String.fromCharCode(buf[off]);
  return s === 'I' || s === 'T' || s === 'E' ? s : null;
}

/** DataRow: its column count. */
export function parseDataRow(buf: Uint8Array, off: number, len: number): number | null {
  return len < 2 ? null : readU16(buf, off);
}

/** BackendKeyData: process id and secret key (the key is what a CancelRequest must repeat). */
export function parseBackendKey(buf: Uint8Array, off: number, len: number): { pid: number; key: number } | null {
  return len < 8 ? null : { pid: readU32(buf, off), key: readU32(buf, off + 4) };
}

/** SASLInitialResponse: the chosen mechanism (the client data after it is not kept). */
export function parseSaslInitial(buf: Uint8Array, off: number, len: number): string | null {
  const m = cstring(buf, off, off + len);
  return m === null || m.s === '' ? null : m.s;
}
