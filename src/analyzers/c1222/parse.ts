// ANSI C12.22 (IEEE 1703): utility meters and their head-end systems exchanging C12.19 table
// reads and writes over TCP or UDP port 1153. Each message is an ACSE-style APDU in BER
// ([APPLICATION 0]): called and calling AP titles (OIDs, absolute or relative), AP invocation
// ids, an authentication value, and user information whose EPSEM octets start with flags —
// security mode (cleartext, cleartext with authentication, ciphertext with authentication) and
// response control (always, on exception, never). In the two cleartext modes the EPSEM services
// follow, each behind a BER-style length: Ident, Read and Write of tables, Logon (user id and a
// 10-octet user name), Security (a 20-octet password), Logoff, Terminate, Wait …
// Pure functions only.
import { CLASS_APPLICATION, CLASS_CONTEXT, CLASS_UNIVERSAL, TAG_INTEGER, TAG_OID, readInt, readOid, readTlv, tlvSize } from '../ntlm/ber.js';

export const C1222_PORT = 1153;
/** Largest APDU kept (C12.22 segments larger messages). */
export const MAX_APDU = 65536;
const TAG_RELATIVE_OID = 13;
const TAG_EXTERNAL = 8;

export const SECURITY_MODES = ['cleartext', 'cleartext-with-auth', 'ciphertext-with-auth', 'reserved'];
export const RESPONSE_CONTROLS = ['always', 'on-exception', 'never', 'reserved'];

export interface C1222Apdu {
  calledApTitle?: string;
  callingApTitle?: string;
  calledApInvocationId?: number;
  callingApInvocationId?: number;
  callingAeQualifier?: number;
  securityMode?: string;
  responseControl?: string;
  /** The EPSEM's services when in clear: their request codes' names. */
  services: string[];
  /** Tables a cleartext Read or Write named (ST<n> standard, MT<n> manufacturer). */
  tables: { service: 'read' | 'write'; table: string }[];
  /** Logon's user name and Security's password (callers digest it and drop it). */
  user?: string;
  password?: Uint8Array;
}

/** Whole-APDU length at `off` (0: more bytes needed, -1: not an APDU). */
export function apduSize(buf: Uint8Array, off: number, avail: number): number {
  if (avail >= 1 && buf[off] !== 0x60) return -1;
  return tlvSize(buf, off, off + avail);
}

/** An AP title: an absolute OID, or a relative one (to the network's registered base) written with a leading dot. */
function apTitle(buf: Uint8Array, off: number, end: number): string | undefined {
  const t = readTlv(buf, off, end);
  if (t === null || t.cls !== CLASS_UNIVERSAL || (t.tag !== TAG_OID && t.tag !== TAG_RELATIVE_OID)) return undefined;
  const arcs = readOid(buf, t, t.tag === TAG_RELATIVE_OID);
  if (arcs === '') return undefined;
  return t.tag === TAG_OID ? arcs : `.${arcs}`;
}

function int(buf: Uint8Array, off: number, end: number): number | undefined {
  const t = readTlv(buf, off, end);
  if (t === null || t.cls !== CLASS_UNIVERSAL || t.tag !== TAG_INTEGER) return undefined;
  return readInt(buf, t) ?? undefined;
}

/** C12.22 request codes (C12.22 §9.1.2, C12.18 §6). */
const SERVICES: Record<number, string> = {
  0x20: 'ident',
  0x21: 'terminate',
  0x22: 'disconnect',
  0x30: 'read',
  0x3e: 'read-default',
  0x3f: 'read-offset',
  0x40: 'write',
  0x4f: 'write-offset',
  0x50: 'logon',
  0x51: 'security',
  0x52: 'logoff',
  0x60: 'negotiate',
  0x61: 'negotiate',
  0x70: 'wait',
  0x71: 'wait',
  0x72: 'wait',
  0x73: 'wait',
  0x74: 'wait',
  0x75: 'wait',
};

/** The services that name a table (Read and Write, whole, by index or by offset; a default read names none). */
const TABLE_SERVICES: Record<string, 'read' | 'write'> = {
  read: 'read',
  'read-index': 'read',
  'read-offset': 'read',
  write: 'write',
  'write-index': 'write',
  'write-offset': 'write',
};

function tableName(id: number): string {
  return id < 2048 ? `ST${id}` : `MT${id - 2048}`;
}

function serviceName(code: number): string {
  if (code >= 0x31 && code <= 0x39) return 'read-index';
  if (code >= 0x41 && code <= 0x49) return 'write-index';
  if (code < 0x20) return `response-${code}`;
  return SERVICES[code] ?? `0x${code.toString(16)}`;
}

/** Cleartext EPSEM services: each a BER-style length and that many octets, a zero length ending them. */
function services(buf: Uint8Array, off: number, end: number, a: C1222Apdu): void {
  let p = off;
  for (let n = 0; n < 16 && p < end; n++) {
    let len = buf[p++];
    if (len & 0x80) {
      const k = len & 0x7f;
      if (k === 0 || k > 3 || p + k > end) return;
      len = 0;
      for (let i = 0; i < k; i++) len = len * 256 + buf[p++];
    }
    if (len === 0 || p + len > end) return;
    const code = buf[p];
    const name = serviceName(code);
    if (!a.services.includes(name)) a.services.push(name);
    const op = TABLE_SERVICES[name];
    if (op !== undefined && len >= 3 && a.tables.length < 16) a.tables.push({ service: op, table: tableName((buf[p + 1] << 8) | buf[p + 2]) });
    if (code === 0x50 && len >= 13) a.user = Buffer.from(buf.subarray(p + 3, p + 13)).toString('latin1').replace(/[\s\0]+$/, '');
    if (code === 0x51 && len >= 21) a.password = buf.slice(p + 1, p + 21);
    p += len;
  }
}

/** One APDU (`off` at its 0x60), or null when it is not one. */
export function parseApdu(buf: Uint8Array, off: number, len: number): C1222Apdu | null {
  const top = readTlv(buf, off, off + len);
  if (top === null || top.cls !== CLASS_APPLICATION || !top.constructed || top.tag !== 0) return null;
  const a: C1222Apdu = { services: [], tables: [] };
  let seen = 0;
  for (let p = top.off; p < top.end && seen < 32; seen++) {
    const e = readTlv(buf, p, top.end);
    if (e === null) return seen > 0 ? a : null;
    p = e.end;
    if (e.cls !== CLASS_CONTEXT) continue;
    switch (e.tag) {
      case 2:
        a.calledApTitle = apTitle(buf, e.off, e.end);
        break;
      case 4:
        a.calledApInvocationId = int(buf, e.off, e.end);
        break;
      case 6:
        a.callingApTitle = apTitle(buf, e.off, e.end);
        break;
      case 7:
        a.callingAeQualifier = int(buf, e.off, e.end);
        break;
      case 8:
        a.callingApInvocationId = int(buf, e.off, e.end);
        break;
      case 30: {
        // EXTERNAL { [1] octet-aligned: the EPSEM }
        const ext = readTlv(buf, e.off, e.end);
        if (ext === null || ext.tag !== TAG_EXTERNAL) break;
        for (let q = ext.off; q < ext.end; ) {
          const x = readTlv(buf, q, ext.end);
          if (x === null) break;
          q = x.end;
          if (x.cls !== CLASS_CONTEXT || x.tag !== 1 || x.len < 1) continue;
          const flags = buf[x.off];
          const mode = (flags >> 2) & 3;
          a.securityMode = SECURITY_MODES[mode];
          a.responseControl = RESPONSE_CONTROLS[flags & 3];
          const body = x.off + 1 + ((flags & 0x10) !== 0 ? 4 : 0);
          if (mode < 2) services(buf, body, x.end, a);
        }
        break;
      }
      default:
    }
  }
  return a;
}
