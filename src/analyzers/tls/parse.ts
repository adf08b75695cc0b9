// TLS and DTLS message parsing: pure functions from bytes to fields or a status.
// Record layer: RFC 5246 §6.2.1 (TLS), RFC 6347 §4.1 (DTLS); SSLv2-compatible ClientHello and
// SSLv2 ServerHello: RFC 6101 appendix E.2 and the SSL 2.0 draft §2.6; handshake messages: RFC 5246
// §7.4 and RFC 8446 §4 (TLS 1.3, including drafts 18–21 whose ServerHello had no session id);
// extensions: RFC 6066 (SNI), RFC 7301 (ALPN), RFC 8422 (groups, point formats, ECDHE params),
// RFC 8446 §4.2 (supported_versions, key_share, signature_algorithms), RFC 6520 (heartbeat).
import { readVarint } from '../quic/varint.js';

export const CT_CHANGE_CIPHER_SPEC = 20;
export const CT_ALERT = 21;
export const CT_HANDSHAKE = 22;
export const CT_APPLICATION_DATA = 23;
export const CT_HEARTBEAT = 24;

export const HS_HELLO_REQUEST = 0;
export const HS_CLIENT_HELLO = 1;
export const HS_SERVER_HELLO = 2;
export const HS_HELLO_VERIFY_REQUEST = 3;
export const HS_NEW_SESSION_TICKET = 4;
export const HS_END_OF_EARLY_DATA = 5;
export const HS_HELLO_RETRY_REQUEST = 6;
export const HS_ENCRYPTED_EXTENSIONS = 8;
export const HS_CERTIFICATE = 11;
export const HS_SERVER_KEY_EXCHANGE = 12;
export const HS_CERTIFICATE_REQUEST = 13;
export const HS_SERVER_HELLO_DONE = 14;
export const HS_CERTIFICATE_VERIFY = 15;
export const HS_CLIENT_KEY_EXCHANGE = 16;
export const HS_FINISHED = 20;
export const HS_CERTIFICATE_URL = 21;
export const HS_CERTIFICATE_STATUS = 22;
export const HS_SUPPLEMENTAL_DATA = 23;
export const HS_KEY_UPDATE = 24;
export const HS_MESSAGE_HASH = 254;

export const TLS_RECORD_HEADER = 5;
export const DTLS_RECORD_HEADER = 13;
export const HANDSHAKE_HEADER = 4;
export const DTLS_HANDSHAKE_HEADER = 12;
/** Largest record: 2^14 plaintext plus 2048 of expansion (RFC 5246 §6.2.3). */
export const MAX_RECORD = 16384 + 2048;
/** SSLv2 two-byte header records are at most 32767 bytes. */
const SSLV2_MAX_RECORD = 0x7fff;
const SSLV2_CLIENT_HELLO = 1;
const SSLV2_SERVER_HELLO = 4;
const RANDOM_LEN = 32;
const MAX_SESSION_ID = 32;
/** Names, key shares and alerts collected per message. */
const MAX_NAMES = 64;
const MAX_NAME_LEN = 1024;

export const EXT_SERVER_NAME = 0;
export const EXT_SUPPORTED_GROUPS = 10;
export const EXT_EC_POINT_FORMATS = 11;
export const EXT_SIGNATURE_ALGORITHMS = 13;
export const EXT_HEARTBEAT = 15;
export const EXT_ALPN = 16;
export const EXT_SESSION_TICKET = 35;
/** key_share was 40 in TLS 1.3 drafts up to 22, 51 after. */
export const EXT_KEY_SHARE_DRAFT = 40;
export const EXT_PRE_SHARED_KEY = 41;
export const EXT_SUPPORTED_VERSIONS = 43;
export const EXT_KEY_SHARE = 51;
/** QUIC transport parameters (RFC 9001 §8.2), and the codepoint of the drafts before it. */
export const EXT_QUIC_TRANSPORT_PARAMETERS = 57;
export const EXT_QUIC_TRANSPORT_PARAMETERS_DRAFT = 0xffa5;
/** Chrome's google_user_agent transport parameter (the browser's user agent, in clear). */
const QUIC_PARAM_GOOGLE_USER_AGENT = 0x3129;
const MAX_USER_AGENT = 512;

/** ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
const HRR_RANDOM = Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));
const EC_CURVE_TYPE_NAMED = 3;

export type Status = 'need_more' | 'bad';

export interface RecordHeader {
  type: number;
  version: number;
  length: number;
  headerLen: number;
  /** DTLS epoch (0 before ChangeCipherSpec). */
  epoch: number;
  /** SSLv2 two-byte header record. */
  v2: boolean;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

/** Major version byte of TLS/SSLv3 records, and of DTLS. */
const TLS_MAJOR = 3;
const DTLS_MAJOR = 0xfe;
/** OpenSSL's pre-RFC DTLS 1.0 used version 0x0100. */
const DTLS_OPENSSL_PRE = 0x0100;

/** True if the bytes at `off` look like a TLS record header (type, version, sane length). */
export function isTlsRecord(b: Uint8Array, off: number, len: number): boolean {
  if (len < 3) return false;
  const t = b[off];
  if (t < CT_CHANGE_CIPHER_SPEC || t > CT_HEARTBEAT) return false;
  if (b[off + 1] !== TLS_MAJOR || b[off + 2] > 4) return false;
  return len < TLS_RECORD_HEADER || u16(b, off + 3) <= MAX_RECORD;
}

/** An SSLv2 CLIENT-HELLO (two-byte header) at `off`, as sent by SSLv2-compatible clients. */
export function isSslv2ClientHello(b: Uint8Array, off: number, len: number): boolean {
  if (len < 5 || (b[off] & 0x80) === 0 || b[off + 2] !== SSLV2_CLIENT_HELLO) return false;
  const v = u16(b, off + 3);
  return v === 0x0002 || (v >> 8 === TLS_MAJOR && (v & 0xff) <= 4);
}

function isSslv2ServerHello(b: Uint8Array, off: number, len: number): boolean {
  return len >= 7 && (b[off] & 0x80) !== 0 && b[off + 2] === SSLV2_SERVER_HELLO && u16(b, off + 5) === 0x0002;
}

/** Reads a TLS record header (or an SSLv2 hello's two-byte header when `allowV2`). */
export function parseRecordHeader(b: Uint8Array, off: number, len: number, allowV2: boolean): RecordHeader | Status {
  if (len < 3) return 'need_more';
  if (allowV2 && (b[off] & 0x80) !== 0) {
    if (!isSslv2ClientHello(b, off, len) && !isSslv2ServerHello(b, off, len)) return len < 7 ? 'need_more' : 'bad';
    const length = ((b[off] & 0x7f) << 8) | b[off + 1];
    if (length > SSLV2_MAX_RECORD) return 'bad';
    return { type: b[off + 2], version: 0x0002, length, headerLen: 2, epoch: 0, v2: true };
  }
  if (!isTlsRecord(b, off, len)) return 'bad';
  if (len < TLS_RECORD_HEADER) return 'need_more';
  return { type: b[off], version: u16(b, off + 1), length: u16(b, off + 3), headerLen: TLS_RECORD_HEADER, epoch: 0, v2: false };
}

/** Reads a DTLS record header (RFC 6347 §4.1). */
export function parseDtlsRecordHeader(b: Uint8Array, off: number, len: number): RecordHeader | Status {
  if (len < DTLS_RECORD_HEADER) return 'need_more';
  const t = b[off];
  const version = u16(b, off + 1);
  if (t < CT_CHANGE_CIPHER_SPEC || t > CT_HEARTBEAT) return 'bad';
  if (b[off + 1] !== DTLS_MAJOR && version !== DTLS_OPENSSL_PRE) return 'bad';
  const length = u16(b, off + 11);
  if (length > MAX_RECORD) return 'bad';
  return { type: t, version, length, headerLen: DTLS_RECORD_HEADER, epoch: u16(b, off + 3), v2: false };
}

export interface DtlsHandshakeHeader {
  type: number;
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragmentLength: number;
}

export function parseDtlsHandshakeHeader(b: Uint8Array, off: number, len: number): DtlsHandshakeHeader | Status {
  if (len < DTLS_HANDSHAKE_HEADER) return 'need_more';
  const h = { type: b[off], length: u24(b, off + 1), messageSeq: u16(b, off + 4), fragmentOffset: u24(b, off + 6), fragmentLength: u24(b, off + 9) };
  if (h.fragmentOffset + h.fragmentLength > h.length) return 'bad';
  return h;
}

/** A bounded cursor over one message body; every read checks the end and sets `bad`. */
class Cursor {
  bad = false;
  constructor(
    readonly b: Uint8Array,
    public p: number,
    readonly end: number,
  ) {}
  left(): number {
    return this.end - this.p;
  }
  u8(): number {
    if (this.p + 1 > this.end) {
      this.bad = true;
      return 0;
    }
    return this.b[this.p++];
  }
  u16(): number {
    if (this.p + 2 > this.end) {
      this.bad = true;
      return 0;
    }
    const v = u16(this.b, this.p);
    this.p += 2;
    return v;
  }
  u24(): number {
    if (this.p + 3 > this.end) {
      this.bad = true;
      return 0;
    }
    const v = u24(this.b, this.p);
    this.p += 3;
    return v;
  }
  /** Returns [start, end) of the next n bytes and skips them. */
  take(n: number): [number, number] {
    if (n < 0 || this.p + n > this.end) {
      this.bad = true;
      this.p = this.end;
      return [this.end, this.end];
    }
    const s = this.p;
    this.p += n;
    return [s, this.p];
  }
}

function hexOf(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('hex');
}

function u16List(b: Uint8Array, s: number, e: number): number[] {
  const out: number[] = [];
  for (let i = s; i + 1 < e; i += 2) out.push(u16(b, i));
  return out;
}

function nameList(b: Uint8Array, s: number, e: number, lenBytes: 1 | 2, skipType: boolean): string[] {
  const c = new Cursor(b, s, e);
  const total = c.u16();
  const end = Math.min(e, c.p + total);
  const out: string[] = [];
  while (c.p < end && out.length < MAX_NAMES) {
    const type = skipType ? c.u8() : 0;
    const n = lenBytes === 1 ? c.u8() : c.u16();
    const [ns, ne] = c.take(n);
    if (c.bad) break;
    if (type === 0) out.push(Buffer.from(b.buffer, b.byteOffset + ns, Math.min(ne - ns, MAX_NAME_LEN)).toString('latin1'));
  }
  return out;
}

export interface ClientHello {
  version: number;
  sessionId: string;
  ciphers: number[];
  compression: number[];
  /** Extension types in the order sent. */
  extensions: number[];
  serverNames: string[];
  alpn: string[];
  supportedVersions: number[];
  groups: number[];
  pointFormats: number[];
  sigAlgs: number[];
  keyShareGroups: number[];
  sessionTicketLen: number;
  psk: boolean;
  heartbeat: boolean;
  /** Built from an SSLv2-compatible CLIENT-HELLO (24-bit cipher kinds). */
  v2: boolean;
  /** The extensions block broke off: `extensions` and what they hold are only those before it. */
  partial: boolean;
  /** QUIC: Chrome's google_user_agent transport parameter, '' when absent. */
  quicUserAgent: string;
}

function emptyClientHello(version: number, v2: boolean): ClientHello {
  return {
    version,
    sessionId: '',
    ciphers: [],
    compression: [],
    extensions: [],
    serverNames: [],
    alpn: [],
    supportedVersions: [],
    groups: [],
    pointFormats: [],
    sigAlgs: [],
    keyShareGroups: [],
    sessionTicketLen: 0,
    psk: false,
    heartbeat: false,
    v2,
    partial: false,
    quicUserAgent: '',
  };
}

/** A list of 16-bit values behind a 1- or 2-byte length, cut at the extension's end. */
function prefixedU16List(c: Cursor, b: Uint8Array, lenBytes: 1 | 2): number[] {
  const n = lenBytes === 2 ? c.u16() : c.u8();
  const [ls, le] = c.take(Math.min(n, c.left()));
  return u16List(b, ls, le);
}

function clientExtension(h: ClientHello, type: number, b: Uint8Array, s: number, e: number): void {
  const c = new Cursor(b, s, e);
  switch (type) {
    case EXT_SERVER_NAME:
      h.serverNames = nameList(b, s, e, 2, true);
      break;
    case EXT_ALPN:
      h.alpn = nameList(b, s, e, 1, false);
      break;
    case EXT_SUPPORTED_GROUPS:
      h.groups = prefixedU16List(c, b, 2);
      break;
    case EXT_EC_POINT_FORMATS: {
      const n = c.u8();
      const [ls, le] = c.take(Math.min(n, c.left()));
      h.pointFormats = Array.from(b.subarray(ls, le));
      break;
    }
    case EXT_SIGNATURE_ALGORITHMS:
      h.sigAlgs = prefixedU16List(c, b, 2);
      break;
    case EXT_SUPPORTED_VERSIONS:
      h.supportedVersions = prefixedU16List(c, b, 1);
      break;
    case EXT_KEY_SHARE:
    case EXT_KEY_SHARE_DRAFT: {
      const n = c.u16();
      const end = Math.min(e, c.p + n);
      while (c.p + 4 <= end && h.keyShareGroups.length < MAX_NAMES) {
        h.keyShareGroups.push(c.u16());
        c.take(c.u16());
        if (c.bad) break;
      }
      break;
    }
    case EXT_SESSION_TICKET:
      h.sessionTicketLen = e - s;
      break;
    case EXT_PRE_SHARED_KEY:
      h.psk = true;
      break;
    case EXT_HEARTBEAT:
      h.heartbeat = true;
      break;
    case EXT_QUIC_TRANSPORT_PARAMETERS:
    case EXT_QUIC_TRANSPORT_PARAMETERS_DRAFT:
      h.quicUserAgent = quicUserAgent(b, s, e);
      break;
  }
}

/**
 * Chrome's user agent among the QUIC transport parameters: (id, length, value) with varints
 * since draft-27, 16-bit id and length (behind a 16-bit list length) before it.
 */
function quicUserAgent(b: Uint8Array, s: number, e: number): string {
  const text = (vs: number, ve: number): string => {
    if (ve - vs > MAX_USER_AGENT) return '';
    for (let i = vs; i < ve; i++) if (b[i] < 0x20 || b[i] > 0x7e) return '';
    return Buffer.from(b.buffer, b.byteOffset + vs, ve - vs).toString('latin1');
  };
  for (let o = s, n = 0; o < e && n < 64; n++) {
    const id = readVarint(b, o, e);
    const len = id === null ? null : readVarint(b, id.next, e);
    if (id === null || len === null || len.next + len.value > e) break;
    if (id.value === QUIC_PARAM_GOOGLE_USER_AGENT) return text(len.next, len.next + len.value);
    o = len.next + len.value;
  }
  if (e - s >= 2 && ((b[s] << 8) | b[s + 1]) === e - s - 2) {
    for (let o = s + 2, n = 0; o + 4 <= e && n < 64; n++) {
      const id = (b[o] << 8) | b[o + 1];
      const len = (b[o + 2] << 8) | b[o + 3];
      if (o + 4 + len > e) break;
      if (id === QUIC_PARAM_GOOGLE_USER_AGENT) return text(o + 4, o + 4 + len);
      o += 4 + len;
    }
  }
  return '';
}

/** Parses the extensions block shared by both hellos; false if it is malformed. */
function extensionsBlock(c: Cursor, each: (type: number, s: number, e: number) => void, types: number[]): boolean {
  if (c.left() === 0) return true;
  const total = c.u16();
  if (c.bad || total > c.left()) return false;
  const end = c.p + total;
  while (c.p < end) {
    const type = c.u16();
    const n = c.u16();
    if (c.bad || c.p + n > end) return false;
    types.push(type);
    each(type, c.p, c.p + n);
    c.p += n;
  }
  return true;
}

/** ClientHello body (after the 4-byte handshake header). DTLS adds a cookie after the session id. */
export function parseClientHello(b: Uint8Array, off: number, len: number, dtls = false): ClientHello | 'bad' {
  const c = new Cursor(b, off, off + len);
  const h = emptyClientHello(c.u16(), false);
  c.take(RANDOM_LEN);
  const sidLen = c.u8();
  if (sidLen > MAX_SESSION_ID) return 'bad';
  const [ss, se] = c.take(sidLen);
  h.sessionId = hexOf(b, ss, se);
  if (dtls) c.take(c.u8());
  const cl = c.u16();
  if (cl % 2 !== 0) return 'bad';
  const [cs, ce] = c.take(cl);
  h.ciphers = u16List(b, cs, ce);
  const ml = c.u8();
  const [ms, me] = c.take(ml);
  h.compression = Array.from(b.subarray(ms, me));
  if (c.bad) return 'bad';
  // A damaged extensions block keeps what came before it (the server name is usually first), as
  // tshark and nDPI do; the caller reports it and makes no fingerprint from a partial list.
  if (!extensionsBlock(c, (t, s, e) => clientExtension(h, t, b, s, e), h.extensions)) h.partial = true;
  return h;
}

/** SSLv2 CLIENT-HELLO record body (after the two-byte header). */
export function parseSslv2ClientHello(b: Uint8Array, off: number, len: number): ClientHello | 'bad' {
  const c = new Cursor(b, off, off + len);
  if (c.u8() !== SSLV2_CLIENT_HELLO) return 'bad';
  const h = emptyClientHello(c.u16(), true);
  const cipherLen = c.u16();
  const sidLen = c.u16();
  const challengeLen = c.u16();
  if (c.bad || cipherLen % 3 !== 0) return 'bad';
  const [cs, ce] = c.take(cipherLen);
  for (let i = cs; i + 2 < ce; i += 3) h.ciphers.push(u24(b, i));
  const [ss, se] = c.take(sidLen);
  h.sessionId = hexOf(b, ss, se);
  c.take(challengeLen);
  return c.bad ? 'bad' : h;
}

export interface ServerHello {
  /** The legacy_version field (or the draft version in TLS 1.3 drafts before 22). */
  version: number;
  sessionId: string;
  cipher: number;
  compression: number;
  extensions: number[];
  /** supported_versions selected by the server (TLS 1.3). */
  selectedVersion: number | null;
  keyShareGroup: number | null;
  alpn: string[];
  psk: boolean;
  helloRetry: boolean;
  /** SSLv2 SERVER-HELLO: the server's certificate and cipher kinds. */
  v2Certificate: Uint8Array | null;
}

function serverExtension(h: ServerHello, type: number, b: Uint8Array, s: number, e: number): void {
  const c = new Cursor(b, s, e);
  switch (type) {
    case EXT_SUPPORTED_VERSIONS:
      if (e - s === 2) h.selectedVersion = u16(b, s);
      break;
    case EXT_KEY_SHARE:
    case EXT_KEY_SHARE_DRAFT:
      if (e - s >= 2) h.keyShareGroup = c.u16();
      break;
    case EXT_ALPN:
      h.alpn = nameList(b, s, e, 1, false);
      break;
    case EXT_PRE_SHARED_KEY:
      h.psk = true;
      break;
  }
}

/** ServerHello body (after the 4-byte handshake header). */
export function parseServerHello(b: Uint8Array, off: number, len: number): ServerHello | 'bad' {
  const c = new Cursor(b, off, off + len);
  const version = c.u16();
  const [rs, re] = c.take(RANDOM_LEN);
  const h: ServerHello = {
    version,
    sessionId: '',
    cipher: 0,
    compression: 0,
    extensions: [],
    selectedVersion: null,
    keyShareGroup: null,
    alpn: [],
    psk: false,
    helloRetry: re - rs === RANDOM_LEN && HRR_RANDOM.every((v, i) => b[rs + i] === v),
    v2Certificate: null,
  };
  // TLS 1.3 drafts before 22 dropped session id and compression from the ServerHello.
  const draft = version >> 8 === 0x7f;
  if (!draft) {
    const sidLen = c.u8();
    if (sidLen > MAX_SESSION_ID) return 'bad';
    const [ss, se] = c.take(sidLen);
    h.sessionId = hexOf(b, ss, se);
  }
  h.cipher = c.u16();
  if (!draft) h.compression = c.u8();
  if (c.bad) return 'bad';
  if (!extensionsBlock(c, (t, s, e) => serverExtension(h, t, b, s, e), h.extensions)) return 'bad';
  return h;
}

/** SSLv2 SERVER-HELLO record body (after the two-byte header). */
export function parseSslv2ServerHello(b: Uint8Array, off: number, len: number): ServerHello | 'bad' {
  const c = new Cursor(b, off, off + len);
  if (c.u8() !== SSLV2_SERVER_HELLO) return 'bad';
  c.u8(); // session id hit
  c.u8(); // certificate type
  const version = c.u16();
  const certLen = c.u16();
  const cipherLen = c.u16();
  const connIdLen = c.u16();
  const [cs, ce] = c.take(certLen);
  const [ks, ke] = c.take(cipherLen);
  c.take(connIdLen);
  if (c.bad) return 'bad';
  return {
    version,
    sessionId: '',
    cipher: ke - ks >= 3 ? u24(b, ks) : 0,
    compression: 0,
    extensions: [],
    selectedVersion: null,
    keyShareGroup: null,
    alpn: [],
    psk: false,
    helloRetry: false,
    v2Certificate: ce > cs ? b.subarray(cs, ce) : null,
  };
}

/** Certificate message (TLS ≤ 1.2, RFC 5246 §7.4.2): the DER certificates, at most `max`. */
export function parseCertificateList(b: Uint8Array, off: number, len: number, max: number): Uint8Array[] | 'bad' {
  const c = new Cursor(b, off, off + len);
  const total = c.u24();
  if (c.bad || total > c.left()) return 'bad';
  const end = c.p + total;
  const out: Uint8Array[] = [];
  while (c.p < end && out.length < max) {
    const n = c.u24();
    const [s, e] = c.take(n);
    if (c.bad || e > end) return out.length ? out : 'bad';
    out.push(b.subarray(s, e));
  }
  return out;
}

/** The named curve of an ECDHE ServerKeyExchange (RFC 8422 §5.4), or null. */
export function parseEcdhServerParams(b: Uint8Array, off: number, len: number): number | null {
  if (len < 3 || b[off] !== EC_CURVE_TYPE_NAMED) return null;
  return u16(b, off + 1);
}

export interface Heartbeat {
  type: number;
  payloadLength: number;
}

/** Heartbeat message (RFC 6520 §4): type and the claimed payload length. */
export function parseHeartbeat(b: Uint8Array, off: number, len: number): Heartbeat | 'bad' {
  if (len < 3) return 'bad';
  return { type: b[off], payloadLength: u16(b, off + 1) };
}

const ALERT_WARNING = 1;
const ALERT_FATAL = 2;

/**
 * Alerts in one plaintext record: (level, description) pairs; null when the record cannot be
 * plaintext alerts (odd length or a level other than warning/fatal: an encrypted alert).
 */
export function parseAlerts(b: Uint8Array, off: number, len: number): [number, number][] | null {
  if (len === 0 || len % 2 !== 0) return null;
  const out: [number, number][] = [];
  for (let i = off; i + 1 < off + len && out.length < MAX_NAMES; i += 2) {
    if (b[i] !== ALERT_WARNING && b[i] !== ALERT_FATAL) return null;
    out.push([b[i], b[i + 1]]);
  }
  return out;
}

/**
 * How many whole records tile `len` bytes exactly (TLS when `dtls` is false); 0 if they do not.
 * Used to recognise a connection caught mid-session, where no hello will come.
 */
export function countTilingRecords(b: Uint8Array, off: number, len: number, dtls: boolean): number {
  let n = 0;
  let o = off;
  const end = off + len;
  while (o < end && n < MAX_NAMES) {
    const h = dtls ? parseDtlsRecordHeader(b, o, end - o) : parseRecordHeader(b, o, end - o, false);
    if (typeof h === 'string') return 0;
    o += h.headerLen + h.length;
    n++;
  }
  return o === end ? n : 0;
}

/** Reads a handshake message header; null when fewer than 4 bytes remain. */
export function handshakeHeader(b: Uint8Array, off: number, len: number): { type: number; length: number } | null {
  if (len < HANDSHAKE_HEADER) return null;
  return { type: b[off], length: u24(b, off + 1) };
}
