// QUIC packet layer, as far as a passive observer can read it: long headers (RFC 9000 §17.2,
// RFC 8999's invariants), Initial packet protection (RFC 9001 §5, RFC 9369 §3.3 for QUIC v2),
// the frames of an Initial packet (RFC 9000 §19), and Google QUIC's clear-text CHLO (the
// handshake message of gQUIC versions Q024–Q046: its SNI, user agent and version tags).
//
// An Initial packet is encrypted with keys derived from the client's first Destination
// Connection ID and a salt fixed per QUIC version: anyone who sees that packet can read the
// TLS ClientHello (and the ServerHello of the server's Initial), as Zeek, Wireshark and nDPI do.
// AES-GCM authenticates: a wrong salt or a damaged packet fails decryption, never yields text.
import { createCipheriv, createDecipheriv, createHmac, type Cipher } from 'node:crypto';
import { readVarint } from './varint.js';

export const MIN_LONG_HEADER = 7;
/** RFC 9000 §17.2: Destination and Source Connection IDs are at most 20 bytes in version 1. */
export const MAX_CID = 20;
/** RFC 9000 §14.1: a client's datagram carrying an Initial packet is at least 1200 bytes. */
export const MIN_CLIENT_INITIAL_DATAGRAM = 1200;
const TAG_LEN = 16;
const SAMPLE_LEN = 16;

export const VERSION_1 = 0x00000001;
export const VERSION_2 = 0x6b3343cf;

/** Long-header packet types, normalised to version 1's numbering. */
export const PT_INITIAL = 0;
export const PT_0RTT = 1;
export const PT_HANDSHAKE = 2;
export const PT_RETRY = 3;

/** Initial salts (RFC 9001 §5.2, RFC 9369 §3.3.1, and the drafts before them). */
const SALT_V1 = hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const SALT_V2 = hex('0dede3def700a6db819381be6e269dcbf9bd2ed9');
const SALT_D29 = hex('afbfec289993d24c9e9786f19c6111e04390a899');
const SALT_D23 = hex('c3eef712c72ebb5a11a7d2432bb46365bef9f502');
const SALT_D22 = hex('7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a');
/** Google's versions with IETF packet protection chose their own salts: Q050 (CHLO inside), T050, T051 (TLS). */
const SALT_Q050 = hex('504574efd066fe2f9d945cfcdbd3a7f0d3b56b45');
const SALT_T050 = hex('7ff579e5acd072915580304c43a2367c60488310');
const SALT_T051 = hex('7a4edef4e7ccee5fa4506c19124fc8ccda6e033d');
/** Every salt, for versions whose salt is not certain (Facebook's mvfst experiments). */
const ALL_SALTS = [SALT_V1, SALT_D29, SALT_D23, SALT_D22, SALT_V2, SALT_T051, SALT_T050];

/** CRYPTO frame type: IETF's, and the one Google's Q050/T050/T051 kept from gQUIC. */
export const FRAME_CRYPTO = 0x06;
export const FRAME_CRYPTO_GOOGLE = 0x08;

function hex(s: string): Buffer {
  return Buffer.from(s, 'hex');
}

export interface VersionInfo {
  /** Zeek's quic.log spelling: "1", "quicv2", "draft-29", "mvfst (faceb002)", Google's "T051". */
  name: string;
  /** Salts to try for Initial keys, most likely first; empty: Initials are not TLS-protected. */
  salts: readonly Buffer[];
  /** QUIC v2 changed the key labels and the long-header type numbers. */
  v2: boolean;
  /** Google QUIC with its own crypto handshake (CHLO), not TLS. */
  gquic: boolean;
  /** The frame type carrying the handshake in Initial packets. */
  cryptoFrame: number;
}

/** Versions already looked up (the probe asks for every long-header-looking datagram). */
const VERSION_CACHE = new Map<number, VersionInfo | null>();
const VERSION_CACHE_MAX = 256;

/** What a version number means, or null for one that is not QUIC (or is unknown). */
export function versionInfo(v: number): VersionInfo | null {
  const hit = VERSION_CACHE.get(v);
  if (hit !== undefined) return hit;
  const info = lookupVersion(v);
  if (VERSION_CACHE.size >= VERSION_CACHE_MAX) VERSION_CACHE.clear();
  VERSION_CACHE.set(v, info);
  return info;
}

function lookupVersion(v: number): VersionInfo | null {
  if (v === VERSION_1) return { name: '1', salts: [SALT_V1], v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO };
  if (v === VERSION_2) return { name: 'quicv2', salts: [SALT_V2], v2: true, gquic: false, cryptoFrame: FRAME_CRYPTO };
  if (v >>> 8 === 0xff0000) {
    const d = v & 0xff;
    if (d < 22 || d > 34) return null;
    const salt = d >= 33 ? SALT_V1 : d >= 29 ? SALT_D29 : d >= 23 ? SALT_D23 : SALT_D22;
    return { name: `draft-${d}`, salts: [salt], v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO };
  }
  if (v >>> 8 === 0xfaceb0) return { name: `mvfst (${(v >>> 0).toString(16)})`, salts: ALL_SALTS, v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO };
  // Google: 'Q' or 'T' then three digits (Q046 = 0x51303436).
  const g = v >>> 24;
  if ((g === 0x51 || g === 0x54) && isDigit((v >>> 16) & 0xff) && isDigit((v >>> 8) & 0xff) && isDigit(v & 0xff)) {
    const name = String.fromCharCode(g, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    if (name === 'T051') return { name, salts: [SALT_T051], v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO_GOOGLE };
    if (name === 'T050') return { name, salts: [SALT_T050], v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO_GOOGLE };
    if (name === 'Q050') return { name, salts: [SALT_Q050], v2: false, gquic: true, cryptoFrame: FRAME_CRYPTO_GOOGLE };
    // Q024–Q046: the CHLO travels in clear.
    return { name, salts: [], v2: false, gquic: true, cryptoFrame: FRAME_CRYPTO_GOOGLE };
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A version a server or client may send to force version negotiation (RFC 9000 §15). */
export function isGreaseVersion(v: number): boolean {
  return (v & 0x0f0f0f0f) === 0x0a0a0a0a;
}

/**
 * A greased version: the packet keeps some real version's protection (clients probing for
 * version negotiation protect it as they would their own), so every known salt is tried.
 */
export function greaseVersionInfo(v: number): VersionInfo {
  return { name: (v >>> 0).toString(16).padStart(8, '0'), salts: ALL_SALTS, v2: false, gquic: false, cryptoFrame: FRAME_CRYPTO };
}

/** versionInfo, with greased versions included. */
export function anyVersionInfo(v: number): VersionInfo | null {
  return versionInfo(v) ?? (isGreaseVersion(v) ? greaseVersionInfo(v) : null);
}

export interface LongHeader {
  version: number;
  /** Packet type in version 1's numbering (PT_*); -1 for Version Negotiation. */
  type: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** Initial: token length; otherwise 0. */
  tokenLen: number;
  /** Offset of the (protected) packet number, and where the packet ends in the datagram. */
  pnOffset: number;
  end: number;
}

/**
 * A long-header packet starting at `off` (RFC 9000 §17.2); null when the bytes are not one.
 * Version Negotiation (version 0) and Retry packets have no Length field: they end the datagram.
 */
export function parseLongHeader(b: Uint8Array, off: number, end: number): LongHeader | null {
  if (end - off < MIN_LONG_HEADER || (b[off] & 0x80) === 0) return null;
  const version = ((b[off + 1] << 24) | (b[off + 2] << 16) | (b[off + 3] << 8) | b[off + 4]) >>> 0;
  let o = off + 5;
  const dl = b[o++];
  if ((dl > MAX_CID && version !== 0) || o + dl >= end) return null;
  const dcid = b.subarray(o, o + dl);
  o += dl;
  const sl = b[o++];
  if ((sl > MAX_CID && version !== 0) || o + sl > end) return null;
  const scid = b.subarray(o, o + sl);
  o += sl;
  if (version === 0) return { version, type: -1, dcid, scid, tokenLen: 0, pnOffset: o, end };
  const info = versionInfo(version);
  const raw = (b[off] >> 4) & 3;
  // QUIC v2 renumbered the types: Initial 1, 0-RTT 2, Handshake 3, Retry 0 (RFC 9369 §3.2).
  const type = info?.v2 === true ? (raw + 3) & 3 : raw;
  if (type === PT_RETRY) return { version, type, dcid, scid, tokenLen: 0, pnOffset: o, end };
  let tokenLen = 0;
  if (type === PT_INITIAL) {
    const t = readVarint(b, o, end);
    if (t === null || t.next + t.value > end) return null;
    tokenLen = t.value;
    o = t.next + t.value;
  }
  const l = readVarint(b, o, end);
  if (l === null || l.next + l.value > end || l.value < 1) return null;
  return { version, type, dcid, scid, tokenLen, pnOffset: l.next, end: l.next + l.value };
}

// ---- Initial packet protection ----------------------------------------------------------

function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Buffer {
  return createHmac('sha256', salt).update(ikm).digest();
}

/** HKDF-Expand-Label of TLS 1.3 (RFC 8446 §7.1) with an empty context, output ≤ 32 bytes. */
function expandLabel(secret: Uint8Array, label: string, len: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(4 + full.length);
  info.writeUInt16BE(len, 0);
  info[2] = full.length;
  full.copy(info, 3);
  info[3 + full.length] = 0;
  return createHmac('sha256', secret).update(info).update(Buffer.from([1])).digest().subarray(0, len);
}

export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
  /** The header-protection cipher, made on first use and kept (AES-ECB has no state between blocks). */
  ecb: Cipher | null;
}

/** The Initial secret of a Destination Connection ID (RFC 9001 §5.2: HKDF-Extract with the version's salt). */
export function initialSecret(salt: Uint8Array, dcid: Uint8Array): Buffer {
  return hkdfExtract(salt, dcid);
}

/** One side's Initial keys from the Initial secret: `label` is "client in" or "server in". */
export function sideKeys(initial: Uint8Array, label: 'client in' | 'server in', v2: boolean): InitialKeys {
  const secret = expandLabel(initial, label, 32);
  const p = v2 ? 'quicv2 ' : 'quic ';
  return { key: expandLabel(secret, `${p}key`, 16), iv: expandLabel(secret, `${p}iv`, 12), hp: expandLabel(secret, `${p}hp`, 16), ecb: null };
}

/** The client's and server's Initial keys for a Destination Connection ID (RFC 9001 §5.2). */
export function initialKeys(salt: Uint8Array, dcid: Uint8Array, v2: boolean): { client: InitialKeys; server: InitialKeys } {
  const initial = initialSecret(salt, dcid);
  return { client: sideKeys(initial, 'client in', v2), server: sideKeys(initial, 'server in', v2) };
}

/**
 * Removes header protection and decrypts one long-header packet (RFC 9001 §5.3–5.4); returns
 * the plaintext frames, or null when the packet does not authenticate under `keys`.
 */
export function decryptPacket(b: Uint8Array, start: number, h: LongHeader, keys: InitialKeys): { payload: Buffer; pn: number } | null {
  const sampleAt = h.pnOffset + 4;
  if (sampleAt + SAMPLE_LEN > h.end) return null;
  let ecb = keys.ecb;
  if (ecb === null) {
    ecb = keys.ecb = createCipheriv('aes-128-ecb', keys.hp, null);
    ecb.setAutoPadding(false);
  }
  const mask = ecb.update(b.subarray(sampleAt, sampleAt + SAMPLE_LEN));
  const first = b[start] ^ (mask[0] & 0x0f);
  const pnLen = (first & 3) + 1;
  if (h.pnOffset + pnLen + TAG_LEN > h.end) return null;
  const header = Buffer.from(b.subarray(start, h.pnOffset + pnLen));
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    header[h.pnOffset - start + i] ^= mask[1 + i];
    pn = pn * 256 + header[h.pnOffset - start + i];
  }
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < 4; i++) nonce[11 - i] ^= (pn >>> (8 * i)) & 0xff;
  const ct = b.subarray(h.pnOffset + pnLen, h.end - TAG_LEN);
  const tag = b.subarray(h.end - TAG_LEN, h.end);
  try {
    const d = createDecipheriv('aes-128-gcm', keys.key, nonce);
    d.setAAD(header);
    d.setAuthTag(tag);
    const payload = Buffer.concat([d.update(ct), d.final()]);
    return { payload, pn };
  } catch {
    return null;
  }
}

// ---- frames ------------------------------------------------------------------------------

export interface CryptoChunk {
  offset: number;
  data: Uint8Array;
}

export interface InitialFrames {
  crypto: CryptoChunk[];
  /** CONNECTION_CLOSE seen (transport or application). */
  close: boolean;
  /** A frame this parser could not walk past (its rest was not read). */
  malformed: boolean;
}

const FRAME_PADDING = 0x00;
const FRAME_PING = 0x01;
const FRAME_ACK = 0x02;
const FRAME_ACK_ECN = 0x03;
const FRAME_CLOSE = 0x1c;
const FRAME_CLOSE_APP = 0x1d;
/** ACK ranges walked per frame. */
const MAX_ACK_RANGES = 256;

/** The frames an Initial or Handshake packet may carry (RFC 9000 §12.4, Table 3). */
export function parseInitialFrames(p: Uint8Array, cryptoFrame = FRAME_CRYPTO): InitialFrames {
  const out: InitialFrames = { crypto: [], close: false, malformed: false };
  let o = 0;
  const end = p.length;
  while (o < end) {
    const t = p[o];
    if (cryptoFrame === FRAME_CRYPTO_GOOGLE && (t & 0xc0) === 0x40) {
      const next = skipGoogleAck(p, o, end);
      if (next < 0) {
        out.malformed = true;
        return out;
      }
      o = next;
      continue;
    }
    if (t === FRAME_PADDING || t === FRAME_PING) {
      o++;
      continue;
    }
    if (t === cryptoFrame) {
      const off = readVarint(p, o + 1, end);
      const len = off === null ? null : readVarint(p, off.next, end);
      if (off === null || len === null || len.next + len.value > end) {
        out.malformed = true;
        return out;
      }
      out.crypto.push({ offset: off.value, data: p.subarray(len.next, len.next + len.value) });
      o = len.next + len.value;
      continue;
    }
    if (t === FRAME_ACK || t === FRAME_ACK_ECN) {
      let r = readVarint(p, o + 1, end); // largest acknowledged
      r = r && readVarint(p, r.next, end); // ack delay
      const count = r && readVarint(p, r.next, end);
      r = count && readVarint(p, count.next, end); // first range
      if (r === null || count === null || count.value > MAX_ACK_RANGES) {
        out.malformed = true;
        return out;
      }
      for (let i = 0; i < count.value * 2 && r !== null; i++) r = readVarint(p, r.next, end);
      if (r !== null && t === FRAME_ACK_ECN) for (let i = 0; i < 3 && r !== null; i++) r = readVarint(p, r.next, end);
      if (r === null) {
        out.malformed = true;
        return out;
      }
      o = r.next;
      continue;
    }
    if (t === FRAME_CLOSE || t === FRAME_CLOSE_APP) out.close = true;
    // Anything else ends what this parser reads of the packet (CONNECTION_CLOSE included: it is
    // the last frame worth knowing about); a type an Initial may not carry is a malformation.
    if (t !== FRAME_CLOSE && t !== FRAME_CLOSE_APP) out.malformed = true;
    return out;
  }
  return out;
}

/** gQUIC's sizes of packet-number fields, by their 2-bit code. */
const GQUIC_LEN = [1, 2, 4, 6];

/**
 * Skips Google's ACK frame (type 01ntllmm, kept by Q050/T050/T051): largest acked (ll), delay
 * (2), block count (1, if n), first block (mm), blocks (1 + mm each), timestamp count (1), then
 * 5 bytes for the first timestamp and 3 for each further one. Returns the next offset, or -1.
 */
function skipGoogleAck(p: Uint8Array, o: number, end: number): number {
  const t = p[o];
  const ll = GQUIC_LEN[(t >> 2) & 3];
  const mm = GQUIC_LEN[t & 3];
  let x = o + 1 + ll + 2;
  let blocks = 0;
  if ((t & 0x20) !== 0) {
    if (x >= end) return -1;
    blocks = p[x++];
  }
  x += mm + blocks * (1 + mm);
  if (x >= end) return -1;
  const stamps = p[x++];
  if (stamps > 0) x += 5 + (stamps - 1) * 3;
  return x <= end ? x : -1;
}

// ---- Google QUIC CHLO --------------------------------------------------------------------

export interface Chlo {
  sni?: string;
  uaid?: string;
}

/** Tag/value pairs read from a CHLO. */
const MAX_CHLO_TAGS = 64;
const TAG_SNI = 0x534e4900; // "SNI\0"
const TAG_UAID = 0x55414944; // "UAID"

function printable(b: Uint8Array, s: number, e: number): string | undefined {
  if (e <= s || e - s > 512) return undefined;
  for (let i = s; i < e; i++) if (b[i] < 0x20 || b[i] > 0x7e) return undefined;
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/**
 * The CHLO handshake message of Google QUIC (versions before Q050 send it in clear inside the
 * crypto stream's STREAM frame): "CHLO", tag count (u16 LE), 2 bytes of padding, then per tag
 * its name (4 bytes) and the end offset of its value (u32 LE), then the values. Searched for
 * in the first `window` bytes of the datagram.
 */
export function findChlo(b: Uint8Array, off: number, len: number, window = 96): Chlo | null {
  const end = off + len;
  const last = Math.min(end - 8, off + window);
  for (let i = off; i <= last; i++) {
    if (b[i] !== 0x43 || b[i + 1] !== 0x48 || b[i + 2] !== 0x4c || b[i + 3] !== 0x4f) continue;
    const n = b[i + 4] | (b[i + 5] << 8);
    if (n === 0 || n > MAX_CHLO_TAGS) return null;
    const table = i + 8;
    const values = table + n * 8;
    if (values > end) return null;
    const out: Chlo = {};
    let prev = 0;
    for (let k = 0; k < n; k++) {
      const t = table + k * 8;
      const tag = ((b[t] << 24) | (b[t + 1] << 16) | (b[t + 2] << 8) | b[t + 3]) >>> 0;
      const stop = (b[t + 4] | (b[t + 5] << 8) | (b[t + 6] << 16) | (b[t + 7] << 24)) >>> 0;
      if (stop < prev || values + stop > end) return out;
      if (tag === TAG_SNI) out.sni = printable(b, values + prev, values + stop);
      else if (tag === TAG_UAID) out.uaid = printable(b, values + prev, values + stop);
      prev = stop;
    }
    return out;
  }
  return null;
}
