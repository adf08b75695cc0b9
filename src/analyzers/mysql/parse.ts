// MySQL client/server protocol (MySQL Internals "Client/Server Protocol"; MariaDB KB
// "Connection"): packet framing (3-byte length, sequence id), Initial Handshake v10, the
// HandshakeResponse41/320 and SSLRequest, OK/ERR/EOF and AuthSwitchRequest packets, and the
// text command phase. Pure functions over one packet's payload.

export const MYSQL_HEADER_LEN = 4;
/** A payload of exactly 0xffffff bytes continues in the next packet. */
export const MYSQL_MAX_PAYLOAD = 0xffffff;

export const PROTOCOL_V10 = 10;
export const PROTOCOL_V9 = 9;

export const OK_HEADER = 0x00;
export const AUTH_MORE_DATA = 0x01;
export const LOCAL_INFILE = 0xfb;
export const EOF_HEADER = 0xfe;
export const ERR_HEADER = 0xff;
/** An EOF packet is shorter than 9 bytes; a 0xfe row/length prefix is not. */
const EOF_MAX_LEN = 9;

// Capability flags.
export const CLIENT_CONNECT_WITH_DB = 0x00000008;
export const CLIENT_PROTOCOL_41 = 0x00000200;
export const CLIENT_SSL = 0x00000800;
export const CLIENT_SECURE_CONNECTION = 0x00008000;
export const CLIENT_PLUGIN_AUTH = 0x00080000;
export const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x00200000;
export const CLIENT_DEPRECATE_EOF = 0x01000000;
/** An SSLRequest is the first 32 bytes of a HandshakeResponse41. */
const SSL_REQUEST_LEN = 32;
const MAX_TEXT = 4096;

/** Zeek's names for command bytes (base/protocols/mysql/consts.zeek). */
export const COMMANDS: Record<number, string> = {
  0: 'sleep',
  1: 'quit',
  2: 'init_db',
  3: 'query',
  4: 'field_list',
  5: 'create_db',
  6: 'drop_db',
  7: 'refresh',
  8: 'shutdown',
  9: 'statistics',
  10: 'process_info',
  11: 'connect',
  12: 'process_kill',
  13: 'debug',
  14: 'ping',
  15: 'time',
  16: 'delayed_insert',
  17: 'change_user',
  18: 'binlog_dump',
  19: 'table_dump',
  20: 'connect_out',
  21: 'register_slave',
  22: 'stmt_prepare',
  23: 'stmt_execute',
  24: 'stmt_send_long_data',
  25: 'stmt_close',
  26: 'stmt_reset',
  27: 'set_option',
  28: 'stmt_fetch',
  29: 'daemon',
  30: 'binlog_dump_gtid',
  31: 'reset_connection',
};
/** Commands whose argument is text (a statement, schema or table name). */
export const TEXT_ARG_COMMANDS = new Set([2, 3, 4, 5, 6, 22]);
export const COM_QUIT = 1;
export const COM_CHANGE_USER = 17;

/** Packet size for framing: header + payload. */
export function mysqlFrameLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < MYSQL_HEADER_LEN) return 0;
  return MYSQL_HEADER_LEN + (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16));
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** NUL-terminated string at p (before end): text and the offset after the NUL. */
function cstr(b: Uint8Array, p: number, end: number): { s: string; next: number } | null {
  let q = p;
  while (q < end && b[q] !== 0) q++;
  if (q >= end) return null;
  return { s: Buffer.from(b.buffer, b.byteOffset + p, Math.min(q - p, MAX_TEXT)).toString('utf8'), next: q + 1 };
}

/** Length-encoded integer (§14.1.1.1): value and its size, or null when cut short. */
export function lenenc(b: Uint8Array, p: number, end: number): { v: number; size: number } | null {
  if (p >= end) return null;
  const f = b[p];
  if (f < 0xfb) return { v: f, size: 1 };
  if (f === 0xfc) return p + 3 <= end ? { v: u16(b, p + 1), size: 3 } : null;
  if (f === 0xfd) return p + 4 <= end ? { v: b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16), size: 4 } : null;
  if (f === 0xfe) return p + 9 <= end ? { v: u32(b, p + 1) + u32(b, p + 5) * 0x100000000, size: 9 } : null;
  return null;
}

export interface Greeting {
  protocol: number;
  version: string;
  connectionId?: number;
  capabilities?: number;
  authPlugin?: string;
}

/** Initial Handshake (v10, or v9) from the server. `off` is the payload start. */
export function parseGreeting(b: Uint8Array, off: number, len: number): Greeting | null {
  const end = off + len;
  if (len < 2) return null;
  const protocol = b[off];
  if (protocol !== PROTOCOL_V10 && protocol !== PROTOCOL_V9) return null;
  const v = cstr(b, off + 1, end);
  if (v === null || !/^[\x20-\x7e]{1,128}$/.test(v.s)) return null;
  const g: Greeting = { protocol, version: v.s };
  let p = v.next;
  if (protocol === PROTOCOL_V9 || p + 4 > end) return g;
  g.connectionId = u32(b, p);
  p += 4 + 8 + 1;
  if (p + 2 > end) return g;
  let caps = u16(b, p);
  p += 2;
  if (p + 1 + 2 + 2 + 1 + 10 <= end) {
    caps |= u16(b, p + 3) << 16;
    caps >>>= 0;
    const authLen = b[p + 5];
    p += 16;
    if (caps & CLIENT_SECURE_CONNECTION) p += Math.max(13, authLen - 8);
    if (caps & CLIENT_PLUGIN_AUTH && p < end) {
      const n = cstr(b, p, end);
      g.authPlugin = n === null ? Buffer.from(b.buffer, b.byteOffset + p, Math.min(end - p, 64)).toString('latin1') : n.s;
    }
  }
  g.capabilities = caps;
  return g;
}

export interface HandshakeResponse {
  ssl: boolean;
  capabilities: number;
  user?: string;
  /** Auth response bounds (a scramble, or a password with clear-text plugins); never logged. */
  authOff?: number;
  authLen?: number;
  database?: string;
  authPlugin?: string;
}

/** HandshakeResponse41/320 or SSLRequest from the client. */
export function parseHandshakeResponse(b: Uint8Array, off: number, len: number): HandshakeResponse | null {
  const end = off + len;
  if (len < 4) return null;
  const caps16 = u16(b, off);
  if ((caps16 & CLIENT_PROTOCOL_41) === 0) {
    // HandshakeResponse320: caps(2), max packet(3), user, auth response.
    const u = cstr(b, off + 5, end);
    if (u === null) return null;
    const r: HandshakeResponse = { ssl: (caps16 & CLIENT_SSL) !== 0 && len <= 5, capabilities: caps16, user: u.s };
    if (u.next < end) {
      const a = (caps16 & CLIENT_CONNECT_WITH_DB) !== 0 ? cstr(b, u.next, end) : null;
      r.authOff = u.next;
      r.authLen = a === null ? end - u.next : a.next - 1 - u.next;
    }
    return r;
  }
  if (len < SSL_REQUEST_LEN) return null;
  const caps = u32(b, off);
  if (len === SSL_REQUEST_LEN) return { ssl: (caps & CLIENT_SSL) !== 0, capabilities: caps };
  const u = cstr(b, off + SSL_REQUEST_LEN, end);
  if (u === null) return null;
  const r: HandshakeResponse = { ssl: false, capabilities: caps, user: u.s };
  let p = u.next;
  if (caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) {
    const l = lenenc(b, p, end);
    if (l === null) return r;
    r.authOff = p + l.size;
    r.authLen = Math.min(l.v, end - r.authOff);
    p = r.authOff + l.v;
  } else if (caps & CLIENT_SECURE_CONNECTION) {
    if (p >= end) return r;
    r.authOff = p + 1;
    r.authLen = Math.min(b[p], end - r.authOff);
    p = r.authOff + b[p];
  } else {
    const a = cstr(b, p, end);
    if (a === null) return r;
    r.authOff = p;
    r.authLen = a.next - 1 - p;
    p = a.next;
  }
  if (caps & CLIENT_CONNECT_WITH_DB && p < end) {
    const d = cstr(b, p, end);
    if (d !== null) {
      r.database = d.s;
      p = d.next;
    }
  }
  if (caps & CLIENT_PLUGIN_AUTH && p < end) {
    const n = cstr(b, p, end);
    if (n !== null) r.authPlugin = n.s;
  }
  return r;
}

export type ServerPacket =
  | { kind: 'ok'; affectedRows: number }
  | { kind: 'err'; code: number; message: string }
  | { kind: 'eof' }
  | { kind: 'auth_switch'; plugin: string }
  | { kind: 'auth_more' }
  | { kind: 'other'; first: number };

/** Classifies a server packet by its first byte (OK, ERR, EOF, auth switch …). */
export function parseServerPacket(b: Uint8Array, off: number, len: number, capabilities: number): ServerPacket {
  const end = off + len;
  if (len === 0) return { kind: 'other', first: -1 };
  const h = b[off];
  if (h === ERR_HEADER && len >= 3) {
    const code = u16(b, off + 1);
    let p = off + 3;
    // With CLIENT_PROTOCOL_41 a '#' and five-character SQLSTATE precede the message.
    if (capabilities & CLIENT_PROTOCOL_41 && p < end && b[p] === 0x23) p += 6;
    const message = Buffer.from(b.buffer, b.byteOffset + Math.min(p, end), Math.max(0, Math.min(end - p, MAX_TEXT))).toString('utf8');
    return { kind: 'err', code, message };
  }
  if (h === OK_HEADER && len >= 3) {
    const rows = lenenc(b, off + 1, end);
    return { kind: 'ok', affectedRows: rows === null ? 0 : rows.v };
  }
  if (h === EOF_HEADER) {
    if (len < EOF_MAX_LEN) return { kind: 'eof' };
    const n = cstr(b, off + 1, end);
    return { kind: 'auth_switch', plugin: n === null ? '' : n.s };
  }
  if (h === AUTH_MORE_DATA) return { kind: 'auth_more' };
  return { kind: 'other', first: h };
}

/** The text argument of a command packet (query text, schema name …), cut to a bound. */
export function commandArg(b: Uint8Array, off: number, len: number): string {
  const n = Math.min(len - 1, MAX_TEXT);
  if (n <= 0) return '';
  return Buffer.from(b.buffer, b.byteOffset + off + 1, n).toString('utf8').replace(/\0$/, '');
}

/** Plugins that send the password itself (MySQL "Clear Text Authentication", PAM "dialog"). */
export const CLEARTEXT_PLUGINS = new Set(['mysql_clear_password', 'dialog']);
