// RDP connection sequence (MS-RDPBCGR §1.3.1.1): TPKT (RFC 1006 §6), X.224 Connection
// Request/Confirm with the routing cookie and RDP_NEG_REQ/RSP/FAILURE (§2.2.1.1, §2.2.1.2),
// and the MCS Connect Initial/Response (T.125) carrying GCC Conference Create user data
// (T.124) with the client core/network data and server security data (§2.2.1.3, §2.2.1.4).
// Pure functions over one TPKT (or fast-path) PDU.
import { readInt, readTlv, TAG_OCTET_STRING, TAG_ENUMERATED } from '../ntlm/ber.js';

export const TPKT_VERSION = 3;
export const TPKT_HEADER_LEN = 4;
/** TPKT's length field is 16 bits; anything shorter than header + X.224 LI/code is bogus. */
const TPKT_MIN_LEN = 7;

const X224_CR = 0xe0;
const X224_CC = 0xd0;
const X224_DT = 0xf0;
/** LI, code, DST-REF, SRC-REF, class: the fixed part of a CR/CC TPDU. */
const X224_CRCC_FIXED = 7;

const NEG_REQ = 0x01;
const NEG_RSP = 0x02;
const NEG_FAILURE = 0x03;
const NEG_STRUCT_LEN = 8;

/** TLS record content types that can open a TLS stream (handshake, alert …). */
const TLS_HANDSHAKE = 0x16;

// MCS (T.125) BER application tags.
const MCS_CONNECT_INITIAL = 101;
const MCS_CONNECT_RESPONSE = 102;

// User data block types (§2.2.1.3.1, §2.2.1.4.1).
const CS_CORE = 0xc001;
const CS_NET = 0xc003;
const SC_SECURITY = 0x0c02;
const MAX_BLOCKS = 32;
const MAX_CHANNELS = 64;
const CHANNEL_DEF_LEN = 12;
const CHANNEL_NAME_LEN = 8;

/** earlyCapabilityFlags: RNS_UD_CS_WANT_32BPP_SESSION. */
const WANT_32BPP_SESSION = 0x0002;
/** Bit 31 of dwVersion: the server certificate is temporary (§2.2.1.4.3.1). */
const CERT_TEMPORARY = 0x80000000;
const CERT_CHAIN_X509 = 2;
const MAX_CERTS = 16;

/**
 * PDU size for framing: a TPKT (version 3) or a fast-path PDU (§2.2.8.1.2, low two bits of
 * the first byte 0). TLS records are reported as -2 so the caller can stop parsing.
 */
export function rdpFrameLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < 1) return 0;
  const b0 = buf[off];
  if (b0 === TPKT_VERSION) {
    if (avail < TPKT_HEADER_LEN) return 0;
    const len = (buf[off + 2] << 8) | buf[off + 3];
    return len >= TPKT_MIN_LEN ? len : -1;
  }
  if ((b0 & 0x03) === 0) {
    if (avail < 2) return 0;
    const b1 = buf[off + 1];
    if ((b1 & 0x80) === 0) return b1 >= 2 ? b1 : -1;
    if (avail < 3) return 0;
    const len = ((b1 & 0x7f) << 8) | buf[off + 2];
    return len >= 3 ? len : -1;
  }
  return -1;
}

/** True when the bytes look like the start of a TLS record (CredSSP/TLS after negotiation). */
export function isTlsRecord(buf: Uint8Array, off: number, avail: number): boolean {
  return avail >= 3 && buf[off] === TLS_HANDSHAKE && buf[off + 1] === 3 && buf[off + 2] <= 4;
}

export interface ConnectionRequest {
  cookie?: string;
  requestedProtocols?: number;
}

export interface ConnectionConfirm {
  selectedProtocol?: number;
  failureCode?: number;
}

/** The X.224 TPDU of a TPKT at `off`: its code and the bounds of its variable part. */
function x224(buf: Uint8Array, off: number, len: number): { code: number; varOff: number; end: number } | null {
  if (len < TPKT_HEADER_LEN + 2 || buf[off] !== TPKT_VERSION) return null;
  const li = buf[off + TPKT_HEADER_LEN];
  const end = Math.min(off + len, off + TPKT_HEADER_LEN + 1 + li);
  return { code: buf[off + TPKT_HEADER_LEN + 1] & 0xf0, varOff: off + TPKT_HEADER_LEN + X224_CRCC_FIXED, end };
}

/** X.224 Connection Request: "Cookie: mstshash=NAME\r\n" and RDP_NEG_REQ. */
export function parseConnectionRequest(buf: Uint8Array, off: number, len: number): ConnectionRequest | null {
  const t = x224(buf, off, len);
  if (t === null || t.code !== X224_CR) return null;
  const r: ConnectionRequest = {};
  let p = t.varOff;
  if (p + 7 < t.end && buf[p] === 0x43 /* 'C' */) {
    let q = p;
    while (q + 1 < t.end && !(buf[q] === 0x0d && buf[q + 1] === 0x0a)) q++;
    const line = Buffer.from(buf.buffer, buf.byteOffset + p, q - p).toString('latin1');
    const m = /^Cookie: (?:mstshash=)?(.*)$/.exec(line);
    if (m !== null) r.cookie = m[1].slice(0, 256);
    p = q + 2;
  }
  if (p + NEG_STRUCT_LEN <= t.end && buf[p] === NEG_REQ) r.requestedProtocols = u32(buf, p + 4);
  return r;
}

/** X.224 Connection Confirm: RDP_NEG_RSP (selected protocol) or RDP_NEG_FAILURE. */
export function parseConnectionConfirm(buf: Uint8Array, off: number, len: number): ConnectionConfirm | null {
  const t = x224(buf, off, len);
  if (t === null || t.code !== X224_CC) return null;
  const p = t.varOff;
  if (p + NEG_STRUCT_LEN > t.end) return {};
  if (buf[p] === NEG_RSP) return { selectedProtocol: u32(buf, p + 4) };
  if (buf[p] === NEG_FAILURE) return { failureCode: u32(buf, p + 4) };
  return {};
}

export interface ClientData {
  version?: number;
  desktopWidth?: number;
  desktopHeight?: number;
  keyboardLayout?: number;
  clientBuild?: number;
  clientName?: string;
  highColorDepth?: number;
  want32bpp?: boolean;
  digProductId?: string;
  channels?: string[];
}

export interface ServerData {
  /** GCC Conference Create Response result (T.124 §8.7). */
  gccResult?: number;
  /** MCS Connect-Response result (T.125 §11.2). */
  mcsResult?: number;
  encryptionMethod?: number;
  encryptionLevel?: number;
  certType?: number;
  certPermanent?: boolean;
  certCount?: number;
}

/** The MCS PDU inside an X.224 Data TPDU: its BER application tag and content bounds. */
function mcs(buf: Uint8Array, off: number, len: number): { tag: number; off: number; end: number } | null {
  const t = x224(buf, off, len);
  // A DT TPDU is LI=2, code 0xF0, EOT: the MCS PDU starts right after.
  if (t === null || t.code !== X224_DT) return null;
  const start = off + TPKT_HEADER_LEN + 3;
  const v = readTlv(buf, start, off + len);
  if (v === null || v.cls !== 1) return null;
  return { tag: v.tag, off: v.off, end: v.end };
}

/** Offset just after the H.221 key ("Duca"/"McDn") and its PER length, or -1. */
function gccUserData(buf: Uint8Array, off: number, end: number, key: number[]): number {
  for (let i = off; i + 4 < end; i++) {
    if (buf[i] === key[0] && buf[i + 1] === key[1] && buf[i + 2] === key[2] && buf[i + 3] === key[3]) {
      const p = i + 4;
      return buf[p] & 0x80 ? p + 2 : p + 1;
    }
  }
  return -1;
}

const DUCA = [0x44, 0x75, 0x63, 0x61];
/** T.124 ConnectData key: object choice (0) + length (5) + OID 0.0.20.124.0.1 (T.124 §8.7). */
const T124_OID_LEN = 5;
const T124_KEY_LEN = 7;
const MCDN = [0x4d, 0x63, 0x44, 0x6e];

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

function utf16z(buf: Uint8Array, off: number, maxBytes: number): string {
  let q = off;
  const end = off + maxBytes;
  while (q + 1 < end && (buf[q] !== 0 || buf[q + 1] !== 0)) q += 2;
  return Buffer.from(buf.buffer, buf.byteOffset + off, q - off).toString('utf16le');
}

/** MCS Connect Initial → the client's core and network data. Null when the PDU is not one. */
export function parseConnectInitial(buf: Uint8Array, off: number, len: number): ClientData | null {
  const m = mcs(buf, off, len);
  if (m === null || m.tag !== MCS_CONNECT_INITIAL) return null;
  // userData is the last OCTET STRING of the Connect-Initial; the GCC key locates the blocks.
  const p0 = gccUserData(buf, m.off, m.end, DUCA);
  const r: ClientData = {};
  if (p0 < 0) return r;
  let p = p0;
  for (let n = 0; n < MAX_BLOCKS && p + 4 <= m.end; n++) {
    const type = u16(buf, p);
    const blen = u16(buf, p + 2);
    if (blen < 4) break;
    const end = Math.min(p + blen, m.end);
    if (type === CS_CORE) clientCore(buf, p, end, r);
    else if (type === CS_NET && p + 8 <= end) {
      const count = u32(buf, p + 4);
      const ch: string[] = [];
      for (let i = 0; i < count && i < MAX_CHANNELS && p + 8 + (i + 1) * CHANNEL_DEF_LEN <= end; i++) {
        const c = p + 8 + i * CHANNEL_DEF_LEN;
        ch.push(Buffer.from(buf.buffer, buf.byteOffset + c, CHANNEL_NAME_LEN).toString('latin1').replace(/\0+$/, '').replace(/\0.*$/, ''));
      }
      r.channels = ch;
    }
    p += blen;
  }
  return r;
}

function clientCore(buf: Uint8Array, p: number, end: number, r: ClientData): void {
  const has = (o: number, n: number): boolean => p + o + n <= end;
  if (!has(4, 4)) return;
  r.version = u32(buf, p + 4);
  if (has(8, 4)) {
    r.desktopWidth = u16(buf, p + 8);
    r.desktopHeight = u16(buf, p + 10);
  }
  if (has(16, 4)) r.keyboardLayout = u32(buf, p + 16);
  if (has(20, 4)) r.clientBuild = u32(buf, p + 20);
  if (has(24, 32)) r.clientName = utf16z(buf, p + 24, 32);
  if (has(140, 2)) r.highColorDepth = u16(buf, p + 140);
  if (has(144, 2)) r.want32bpp = (u16(buf, p + 144) & WANT_32BPP_SESSION) !== 0;
  if (has(146, 64)) r.digProductId = utf16z(buf, p + 146, 64);
}

/** MCS Connect Response → GCC result and the server security data. */
export function parseConnectResponse(buf: Uint8Array, off: number, len: number): ServerData | null {
  const m = mcs(buf, off, len);
  if (m === null || m.tag !== MCS_CONNECT_RESPONSE) return null;
  const r: ServerData = {};
  const res = readTlv(buf, m.off, m.end);
  if (res !== null && res.tag === TAG_ENUMERATED) r.mcsResult = readInt(buf, res) ?? undefined;
  // The GCC ConferenceCreateResponse: T.124 key, PER length, choice, nodeID (2), tag
  // (length-prefixed INTEGER), then the result enumeration.
  let ud = -1;
  for (let q = res === null ? m.end : res.end; q < m.end; ) {
    const t = readTlv(buf, q, m.end);
    if (t === null) break;
    if (t.tag === TAG_OCTET_STRING && t.cls === 0) ud = t.off;
    q = t.end;
  }
  if (ud >= 0 && ud + T124_KEY_LEN + 1 < m.end && buf[ud] === 0 && buf[ud + 1] === T124_OID_LEN) {
    let p = ud + T124_KEY_LEN;
    p += buf[p] & 0x80 ? 2 : 1;
    // CHOICE octet, then nodeID (2 octets).
    p += 1 + 2;
    if (p < m.end) {
      const tagLen = buf[p];
      p += 1 + tagLen;
      // PER ENUMERATED with an extension marker: 1 extension bit, then 3 value bits.
      if (p < m.end && (buf[p] & 0x80) === 0) r.gccResult = (buf[p] >> 4) & 0x07;
    }
  }
  const p0 = gccUserData(buf, m.off, m.end, MCDN);
  if (p0 < 0) return r;
  let p = p0;
  for (let n = 0; n < MAX_BLOCKS && p + 4 <= m.end; n++) {
    const type = u16(buf, p);
    const blen = u16(buf, p + 2);
    if (blen < 4) break;
    const end = Math.min(p + blen, m.end);
    if (type === SC_SECURITY && p + 12 <= end) serverSecurity(buf, p, end, r);
    p += blen;
  }
  return r;
}

function serverSecurity(buf: Uint8Array, p: number, end: number, r: ServerData): void {
  r.encryptionMethod = u32(buf, p + 4);
  r.encryptionLevel = u32(buf, p + 8);
  if (p + 20 > end) return;
  const randomLen = u32(buf, p + 12);
  const certLen = u32(buf, p + 16);
  const cert = p + 20 + randomLen;
  if (certLen < 4 || cert + 4 > end) return;
  const dwVersion = u32(buf, cert);
  r.certType = dwVersion & 0x7fffffff;
  r.certPermanent = (dwVersion & CERT_TEMPORARY) === 0;
  if (r.certType === CERT_CHAIN_X509 && cert + 8 <= end) {
    const n = u32(buf, cert + 4);
    let q = cert + 8;
    let count = 0;
    for (let i = 0; i < n && i < MAX_CERTS && q + 4 <= end; i++) {
      const cl = u32(buf, q);
      if (q + 4 + cl > end) break;
      count++;
      q += 4 + cl;
    }
    r.certCount = count;
  } else r.certCount = 1;
}
