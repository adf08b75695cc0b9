// Tabular Data Stream ([MS-TDS] 2.2) parsing, pure functions over one packet or one message:
// the 8-byte packet header (2.2.3.1), PRELOGIN option tokens (2.2.6.5), the LOGIN7 fixed part
// and its offset/length table (2.2.6.4) with the password's obfuscation, and the login
// response's token stream (2.2.7: LOGINACK, ERROR, INFO, ENVCHANGE, DONE). Never reads outside
// [off, off + len); damage is a null or a status, never an exception.

export const TDS_HEADER_LEN = 8;
/** Largest packet a client may negotiate (2.2.6.4 PacketSize), and a hard cap for framing. */
export const TDS_MAX_PACKET = 32767;

// Packet types (2.2.3.1.1).
export const TYPE_SQL_BATCH = 0x01;
export const TYPE_PRE_TDS7_LOGIN = 0x02;
export const TYPE_RPC = 0x03;
export const TYPE_RESPONSE = 0x04;
export const TYPE_ATTENTION = 0x06;
export const TYPE_BULK_LOAD = 0x07;
export const TYPE_FEDAUTH_TOKEN = 0x08;
export const TYPE_TRANSACTION_MANAGER = 0x0e;
export const TYPE_LOGIN7 = 0x10;
export const TYPE_SSPI = 0x11;
export const TYPE_PRELOGIN = 0x12;

/** Types a client sends. */
export const CLIENT_TYPES = new Set([TYPE_SQL_BATCH, TYPE_PRE_TDS7_LOGIN, TYPE_RPC, TYPE_ATTENTION, TYPE_BULK_LOAD, TYPE_FEDAUTH_TOKEN, TYPE_TRANSACTION_MANAGER, TYPE_LOGIN7, TYPE_SSPI, TYPE_PRELOGIN]);

// Status bits (2.2.3.1.2): EOM, ignore, reset connection, reset connection skip transaction;
// 0x04 is the event-notification bit of older versions.
export const STATUS_EOM = 0x01;
const STATUS_ALL = 0x1f;

export interface TdsHeader {
  type: number;
  status: number;
  /** Whole packet, header included. */
  length: number;
  spid: number;
  packetId: number;
  window: number;
}

/** The packet header at `off`, or null when it cannot be one (unknown type, bad status or length). */
export function parseHeader(b: Uint8Array, off: number, len: number): TdsHeader | null {
  if (len < TDS_HEADER_LEN) return null;
  const type = b[off];
  const status = b[off + 1];
  const length = (b[off + 2] << 8) | b[off + 3];
  if (type !== TYPE_RESPONSE && !CLIENT_TYPES.has(type)) return null;
  if ((status & ~STATUS_ALL) !== 0 || length < TDS_HEADER_LEN || length > TDS_MAX_PACKET) return null;
  return { type, status, length, spid: (b[off + 4] << 8) | b[off + 5], packetId: b[off + 6], window: b[off + 7] };
}

/** Packet size for framing: header + payload; 0 needs more bytes, -1 not a TDS header. */
export function tdsFrameLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < TDS_HEADER_LEN) return 0;
  const h = parseHeader(b, off, avail);
  return h === null ? -1 : h.length;
}

// ---- TLS records carried raw after a handshake in PRELOGIN packets (2.2.6.5, 3.2.5.2) ----

const TLS_CHANGE_CIPHER_SPEC = 20;
const TLS_APPLICATION_DATA = 23;
const TLS_MAJOR = 3;
const TLS_RECORD_HEADER = 5;
/** TLSPlaintext limit 2^14 plus the ciphertext expansion TLS 1.2 allows (RFC 5246 6.2.3). */
export const TLS_MAX_RECORD = 18432;

/** A TLS record's total size at `off`; 0 needs more, -1 not a TLS record header. */
export function tlsRecordLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < 1) return 0;
  if (b[off] < TLS_CHANGE_CIPHER_SPEC || b[off] > TLS_APPLICATION_DATA) return -1;
  if (avail < TLS_RECORD_HEADER) return 0;
  if (b[off + 1] !== TLS_MAJOR) return -1;
  const n = (b[off + 3] << 8) | b[off + 4];
  return n > TLS_MAX_RECORD ? -1 : TLS_RECORD_HEADER + n;
}

/** Does the payload begin with a TLS record (the handshake wrapped in PRELOGIN packets)? */
export function isTlsRecord(b: Uint8Array, off: number, len: number): boolean {
  return len >= TLS_RECORD_HEADER && tlsRecordLength(b, off, len) > 0;
}

// ---- PRELOGIN (2.2.6.5) ----

export const PL_VERSION = 0x00;
export const PL_ENCRYPTION = 0x01;
export const PL_INSTOPT = 0x02;
export const PL_THREADID = 0x03;
export const PL_MARS = 0x04;
export const PL_TRACEID = 0x05;
export const PL_FEDAUTHREQUIRED = 0x06;
export const PL_NONCEOPT = 0x07;
export const PL_TERMINATOR = 0xff;
const PL_OPTION_LEN = 5;
const PL_MAX_OPTIONS = 32;
const PL_VERSION_LEN = 6;

// B_FENCRYPTION values (2.2.6.5).
export const ENCRYPT_OFF = 0x00;
export const ENCRYPT_ON = 0x01;
export const ENCRYPT_NOT_SUP = 0x02;
export const ENCRYPT_REQ = 0x03;
/** TDS 7.4 adds a client-certificate bit to the value. */
const ENCRYPT_CLIENT_CERT = 0x80;

const ENCRYPTION_NAMES = ['off', 'on', 'not supported', 'required'];

/** The name of a B_FENCRYPTION value ("off", "on", "not supported", "required"). */
export function encryptionName(v: number): string {
  const base = v & ~ENCRYPT_CLIENT_CERT;
  const name = ENCRYPTION_NAMES[base] ?? `unknown-${v}`;
  return (v & ENCRYPT_CLIENT_CERT) !== 0 && base < ENCRYPTION_NAMES.length ? `${name} (client certificate)` : name;
}

/**
 * What the two PRELOGIN answers agree to (2.2.6.5 table): either side NOT_SUP and neither
 * demanding encryption: none; both OFF: only the LOGIN7 travels in TLS; otherwise all of it.
 */
export function negotiatedEncryption(client: number, server: number): 'none' | 'login' | 'all' {
  const c = client & ~ENCRYPT_CLIENT_CERT;
  const s = server & ~ENCRYPT_CLIENT_CERT;
  if (c === ENCRYPT_NOT_SUP || s === ENCRYPT_NOT_SUP) return 'none';
  if (c === ENCRYPT_OFF && s === ENCRYPT_OFF) return 'login';
  return 'all';
}

export interface Prelogin {
  /** UL_VERSION as major.minor.build. */
  version?: string;
  subbuild?: number;
  encryption?: number;
  instance?: string;
  threadId?: number;
  mars?: number;
  fedAuthRequired?: number;
  options: number;
}

function readU16BE(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function readU32LE(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

function readU32BE(b: Uint8Array, o: number): number {
  return b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

/** A PRELOGIN option table (payload after the packet header), or null if it is not one. */
export function parsePrelogin(b: Uint8Array, off: number, len: number): Prelogin | null {
  const end = off + len;
  const out: Prelogin = { options: 0 };
  let p = off;
  let tableEnd = -1;
  for (let i = 0; i < PL_MAX_OPTIONS && p < end; i++) {
    const token = b[p];
    if (token === PL_TERMINATOR) {
      tableEnd = p + 1 - off;
      break;
    }
    if (p + PL_OPTION_LEN > end) return null;
    const o = readU16BE(b, p + 1);
    const n = readU16BE(b, p + 3);
    if (o + n > len) return null;
    const q = off + o;
    out.options++;
    switch (token) {
      case PL_VERSION:
        if (n < PL_VERSION_LEN) return null;
        out.version = `${b[q]}.${b[q + 1]}.${readU16BE(b, q + 2)}`;
        out.subbuild = readU16BE(b, q + 4);
        break;
      case PL_ENCRYPTION:
        if (n >= 1) out.encryption = b[q];
        break;
      case PL_INSTOPT: {
        let z = q;
        const stop = q + Math.min(n, 256);
        while (z < stop && b[z] !== 0) z++;
        out.instance = Buffer.from(b.buffer, b.byteOffset + q, z - q).toString('latin1');
        break;
      }
      case PL_THREADID:
        if (n >= 4) out.threadId = readU32BE(b, q);
        break;
      case PL_MARS:
        if (n >= 1) out.mars = b[q];
        break;
      case PL_FEDAUTHREQUIRED:
        if (n >= 1) out.fedAuthRequired = b[q];
        break;
    }
    p += PL_OPTION_LEN;
  }
  // A table without its terminator, or one whose data overlaps it, is not a PRELOGIN.
  if (tableEnd < 0 || out.options === 0) return null;
  return out;
}

// ---- LOGIN7 (2.2.6.4) ----

/** Fixed part up to ibAtchDBFile/cchAtchDBFile (TDS 7.0); 7.2 adds ChangePassword and cbSSPILong. */
const LOGIN7_FIXED_V70 = 86;
const LOGIN7_MAX = 128 * 1024;
const OFF_TDS_VERSION = 4;
const OFF_PACKET_SIZE = 8;
const OFF_CLIENT_PROG_VER = 12;
const OFF_CLIENT_PID = 16;
const OFF_OPTION_FLAGS2 = 25;
const OFF_TYPE_FLAGS = 26;
const OFF_HOSTNAME = 36;
const OFF_USERNAME = 40;
const OFF_PASSWORD = 44;
const OFF_APPNAME = 48;
const OFF_SERVERNAME = 52;
const OFF_CLTINTNAME = 60;
const OFF_LANGUAGE = 64;
const OFF_DATABASE = 68;
const OFF_SSPI = 78;
/** OptionFlags2 fIntSecurity: Windows (SSPI) authentication instead of a SQL password. */
const FLAG_INT_SECURITY = 0x80;
/** Names longer than this are cut (the spec allows 128 characters for most). */
const MAX_NAME_CHARS = 256;

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  clientProgVer: number;
  clientPid: number;
  integratedSecurity: boolean;
  typeFlags: number;
  hostName: string;
  userName: string;
  appName: string;
  serverName: string;
  library: string;
  language: string;
  database: string;
  /** The obfuscated password's bytes in the message (UCS-2, 2 bytes a character). */
  passwordOff: number;
  passwordLen: number;
  /** The SSPI blob (integrated authentication's first NTLM/SPNEGO token). */
  sspiOff: number;
  sspiLen: number;
}

/** A (ib, cch) pair: offset and byte length of a UCS-2 field, or null if it lies outside. */
function field(b: Uint8Array, off: number, total: number, at: number, bytesPerUnit: number): { o: number; n: number } | null {
  const ib = b[off + at] | (b[off + at + 1] << 8);
  const n = (b[off + at + 2] | (b[off + at + 3] << 8)) * bytesPerUnit;
  if (n === 0) return { o: off, n: 0 };
  if (ib + n > total) return null;
  return { o: off + ib, n };
}

function ucs2(b: Uint8Array, o: number, n: number): string {
  const m = Math.min(n, MAX_NAME_CHARS * 2) & ~1;
  return Buffer.from(b.buffer, b.byteOffset + o, m).toString('utf16le');
}

/** A LOGIN7 message (all its packets' payloads joined), or null if it is not one. */
export function parseLogin7(b: Uint8Array, off: number, len: number): Login7 | null {
  if (len < LOGIN7_FIXED_V70) return null;
  const total = readU32LE(b, off);
  if (total < LOGIN7_FIXED_V70 || total > LOGIN7_MAX || total > len) return null;
  const tdsVersion = readU32LE(b, off + OFF_TDS_VERSION);
  // TDS 7.0 and later only: the high byte is 7 (0x7x) or, for TDS 8, 8.
  const major = tdsVersion >>> 24;
  if (major !== 0x70 && major !== 0x71 && major !== 0x72 && major !== 0x73 && major !== 0x74 && major !== 0x08) return null;
  const strings: { o: number; n: number }[] = [];
  for (const at of [OFF_HOSTNAME, OFF_USERNAME, OFF_PASSWORD, OFF_APPNAME, OFF_SERVERNAME, OFF_CLTINTNAME, OFF_LANGUAGE, OFF_DATABASE]) {
    const f = field(b, off, total, at, 2);
    if (f === null) return null;
    strings.push(f);
  }
  const sspi = field(b, off, total, OFF_SSPI, 1);
  if (sspi === null) return null;
  const [host, user, pw, app, server, lib, lang, db] = strings;
  return {
    tdsVersion,
    packetSize: readU32LE(b, off + OFF_PACKET_SIZE),
    clientProgVer: readU32LE(b, off + OFF_CLIENT_PROG_VER),
    clientPid: readU32LE(b, off + OFF_CLIENT_PID),
    integratedSecurity: (b[off + OFF_OPTION_FLAGS2] & FLAG_INT_SECURITY) !== 0,
    typeFlags: b[off + OFF_TYPE_FLAGS],
    hostName: ucs2(b, host.o, host.n),
    userName: ucs2(b, user.o, user.n),
    appName: ucs2(b, app.o, app.n),
    serverName: ucs2(b, server.o, server.n),
    library: ucs2(b, lib.o, lib.n),
    language: ucs2(b, lang.o, lang.n),
    database: ucs2(b, db.o, db.n),
    passwordOff: pw.o,
    passwordLen: pw.n,
    sspiOff: sspi.o,
    sspiLen: sspi.n,
  };
}

/**
 * The LOGIN7 password in clear (2.2.6.4): the client swaps each byte's nibbles and XORs it with
 * 0xA5, which anyone can undo. The result is UCS-2. Callers keep only a digest of it.
 */
export const PASSWORD_XOR = 0xa5;

export function decodePassword(b: Uint8Array, off: number, len: number): string {
  const n = Math.min(len, MAX_NAME_CHARS * 2) & ~1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = b[off + i] ^ PASSWORD_XOR;
    out[i] = ((x << 4) & 0xf0) | (x >> 4);
  }
  return Buffer.from(out.buffer, 0, n).toString('utf16le');
}

/** The inverse of decodePassword (tests build fixtures with it). */
export function obfuscatePassword(pw: string): Uint8Array {
  const raw = Buffer.from(pw, 'utf16le');
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = (((raw[i] << 4) & 0xf0) | (raw[i] >> 4)) ^ PASSWORD_XOR;
  return out;
}

const TDS_VERSIONS: Record<number, string> = {
  0x70000000: '7.0',
  0x71000000: '7.1',
  0x71000001: '7.1 Rev 1',
  0x72090002: '7.2',
  0x730a0003: '7.3A',
  0x730b0003: '7.3B',
  0x74000004: '7.4',
  0x08000000: '8.0',
};

/** "7.4" for 0x74000004; the hex value for versions the spec does not list. */
export function tdsVersionName(v: number): string {
  return TDS_VERSIONS[v] ?? `0x${v.toString(16).padStart(8, '0')}`;
}

// ---- Token stream of a tabular response (2.2.7) ----

export const TOKEN_RETURNSTATUS = 0x79;
export const TOKEN_COLMETADATA = 0x81;
export const TOKEN_TABNAME = 0xa4;
export const TOKEN_COLINFO = 0xa5;
export const TOKEN_ORDER = 0xa9;
export const TOKEN_ERROR = 0xaa;
export const TOKEN_INFO = 0xab;
export const TOKEN_LOGINACK = 0xad;
export const TOKEN_FEATUREEXTACK = 0xae;
export const TOKEN_ENVCHANGE = 0xe3;
export const TOKEN_SSPI = 0xed;
export const TOKEN_FEDAUTHINFO = 0xee;
export const TOKEN_DONE = 0xfd;
export const TOKEN_DONEPROC = 0xfe;
export const TOKEN_DONEINPROC = 0xff;
/** DONE tokens: 8 bytes of data before TDS 7.2, 12 after (DoneRowCount became 64-bit). */
const DONE_LEN_V72 = 12;
const DONE_LEN_V70 = 8;
const RETURNSTATUS_LEN = 4;
/** ENVCHANGE type 1: the database changed (the login's database when it came from the default). */
const ENV_DATABASE = 1;
const FEATURE_TERMINATOR = 0xff;
const MAX_TOKENS = 256;
const MAX_MESSAGES = 8;

export interface ServerMessage {
  number: number;
  state: number;
  severity: number;
  message: string;
}

export interface LoginAck {
  interface: number;
  tdsVersion: number;
  progName: string;
  /** major.minor.build */
  version: string;
}

export interface TokenSummary {
  loginAck?: LoginAck;
  errors: ServerMessage[];
  database?: string;
  /** A DONE token was reached (the response is complete). */
  done: boolean;
  /** Tokens read before the walk ended (an unknown or data-carrying token stops it). */
  tokens: number;
}

function bvarchar(b: Uint8Array, p: number, end: number): { s: string; next: number } | null {
  if (p >= end) return null;
  const n = b[p] * 2;
  if (p + 1 + n > end) return null;
  return { s: ucs2(b, p + 1, n), next: p + 1 + n };
}

function usvarchar(b: Uint8Array, p: number, end: number): { s: string; next: number } | null {
  if (p + 2 > end) return null;
  const n = (b[p] | (b[p + 1] << 8)) * 2;
  if (p + 2 + n > end) return null;
  return { s: ucs2(b, p + 2, n), next: p + 2 + n };
}

function message(b: Uint8Array, p: number, end: number): ServerMessage | null {
  if (p + 8 > end) return null;
  const number = readU32LE(b, p);
  const text = usvarchar(b, p + 6, end);
  if (text === null) return null;
  return { number, state: b[p + 4], severity: b[p + 5], message: text.s };
}

/**
 * Walks a response's tokens (the message after the packet header) as far as they can be skipped
 * without column metadata: enough for a login's answer. `v72`: DONE tokens have 64-bit counts.
 */
export function parseTokens(b: Uint8Array, off: number, len: number, v72 = true): TokenSummary {
  const end = off + len;
  const out: TokenSummary = { errors: [], done: false, tokens: 0 };
  let p = off;
  let wide = v72;
  while (p < end && out.tokens < MAX_TOKENS) {
    const t = b[p];
    let next: number;
    if (t === TOKEN_DONE || t === TOKEN_DONEPROC || t === TOKEN_DONEINPROC) {
      next = p + 1 + (wide ? DONE_LEN_V72 : DONE_LEN_V70);
      if (next > end) break;
      out.done = true;
    } else if (t === TOKEN_RETURNSTATUS) {
      next = p + 1 + RETURNSTATUS_LEN;
    } else if (t === TOKEN_FEDAUTHINFO) {
      if (p + 5 > end) break;
      next = p + 5 + readU32LE(b, p + 1);
    } else if (t === TOKEN_FEATUREEXTACK) {
      // FeatureId (1), FeatureAckDataLen (4), data … up to the 0xFF terminator.
      let q = p + 1;
      while (q < end && b[q] !== FEATURE_TERMINATOR) {
        if (q + 5 > end) return out;
        q += 5 + readU32LE(b, q + 1);
      }
      if (q >= end) break;
      next = q + 1;
    } else if (t === TOKEN_ERROR || t === TOKEN_INFO || t === TOKEN_LOGINACK || t === TOKEN_ENVCHANGE || t === TOKEN_ORDER || t === TOKEN_COLINFO || t === TOKEN_TABNAME || t === TOKEN_SSPI) {
      if (p + 3 > end) break;
      const n = b[p + 1] | (b[p + 2] << 8);
      const s = p + 3;
      next = s + n;
      if (next > end) break;
      if (t === TOKEN_ERROR && out.errors.length < MAX_MESSAGES) {
        const m = message(b, s, next);
        if (m !== null) out.errors.push(m);
      } else if (t === TOKEN_LOGINACK && n >= 10) {
        const name = bvarchar(b, s + 5, next);
        if (name !== null && name.next + 4 <= next) {
          const v = name.next;
          const tdsVersion = readU32BE(b, s + 1);
          out.loginAck = {
            interface: b[s],
            tdsVersion,
            progName: name.s.replace(/[\0\s]+$/, ''),
            version: `${b[v]}.${b[v + 1]}.${(b[v + 2] << 8) | b[v + 3]}`,
          };
          wide = tdsVersion >>> 24 >= 0x72 || tdsVersion >>> 24 === 0x08;
        }
      } else if (t === TOKEN_ENVCHANGE && n >= 2 && b[s] === ENV_DATABASE) {
        const nv = bvarchar(b, s + 1, next);
        if (nv !== null) out.database = nv.s;
      }
    } else {
      break;
    }
    p = next;
    out.tokens++;
  }
  return out;
}
