// STUN (RFC 8489, formerly RFC 5389) and TURN (RFC 8656): the 20-byte header with its magic
// cookie, and the attributes a network observer learns from: SOFTWARE (the product on each
// side), USERNAME and REALM (a TURN account and its server's realm), ERROR-CODE, and the
// XOR-MAPPED / XOR-RELAYED addresses (the client's public address and the relay a TURN server
// gave it). MESSAGE-INTEGRITY is an HMAC: no password ever crosses the wire.
import { formatAddr } from '../../decode/packet.js';

export const HEADER_LEN = 20;
export const MAGIC_COOKIE = 0x2112a442;
export const STUN_PORT = 3478;
export const STUNS_PORT = 5349;

export const CLASS_REQUEST = 0;
export const CLASS_INDICATION = 1;
export const CLASS_SUCCESS = 2;
export const CLASS_ERROR = 3;

/** Method names (RFC 8489 §18.2, RFC 8656 §17, RFC 6062 §6.1). */
export const METHODS: Readonly<Record<number, string>> = {
  0x001: 'binding', 0x003: 'allocate', 0x004: 'refresh', 0x006: 'send', 0x007: 'data', 0x008: 'create_permission', 0x009: 'channel_bind', 0x00a: 'connect', 0x00b: 'connection_bind', 0x00c: 'connection_attempt',
};
export const CLASSES = ['request', 'indication', 'success', 'error'] as const;

const ATTR_MAPPED_ADDRESS = 0x0001;
const ATTR_USERNAME = 0x0006;
const ATTR_ERROR_CODE = 0x0009;
const ATTR_REALM = 0x0014;
const ATTR_XOR_RELAYED_ADDRESS = 0x0016;
const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const ATTR_SOFTWARE = 0x8022;
/** XOR-MAPPED-ADDRESS's draft codepoint, still sent by Microsoft's TURN servers (MS-TURN). */
const ATTR_XOR_MAPPED_ADDRESS_DRAFT = 0x8020;
/** Attributes walked per message. */
const MAX_ATTRS = 64;
/** Longest text attribute kept (RFC 8489 limits SOFTWARE, REALM and USERNAME to under 763/513 bytes). */
const MAX_TEXT = 256;

export interface StunMessage {
  cls: number;
  method: number;
  /** Bytes the message takes (header and attributes). */
  total: number;
  software?: string;
  username?: string;
  realm?: string;
  errorCode?: number;
  mappedAddress?: string;
  relayedAddress?: string;
}

function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * The header alone: a STUN message starts with two zero bits, a length that fits and the
 * cookie. RFC 8489 aligns the length to 4 bytes; some clients (Facebook Messenger's TURN
 * Allocate, in nDPI's captures) send an unaligned one that fills the datagram exactly, which
 * tshark and nDPI read all the same.
 */
export function isStunHeader(b: Uint8Array, off: number, len: number): boolean {
  if (len < HEADER_LEN || (b[off] & 0xc0) !== 0) return false;
  const l = be16(b, off + 2);
  return ((l & 3) === 0 ? HEADER_LEN + l <= len : HEADER_LEN + l === len) && be32(b, off + 4) === MAGIC_COOKIE;
}

function text(b: Uint8Array, s: number, n: number): string | undefined {
  if (n === 0 || n > MAX_TEXT) return undefined;
  const t = Buffer.from(b.buffer, b.byteOffset + s, n).toString('utf8');
  // Control characters would forge log lines or table cells: such a value is not kept.
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) < 0x20 || t.charCodeAt(i) === 0x7f) return undefined;
  return t;
}

/** An (XOR-)MAPPED-ADDRESS value as "ip:port" (RFC 8489 §14.1–14.2), or undefined. */
function address(b: Uint8Array, s: number, n: number, xor: boolean, msg: number): string | undefined {
  if (n < 8) return undefined;
  const family = b[s + 1];
  let port = be16(b, s + 2);
  if (xor) port ^= MAGIC_COOKIE >>> 16;
  if (family === 1) {
    let a = be32(b, s + 4);
    if (xor) a = (a ^ MAGIC_COOKIE) >>> 0;
    return `${formatAddr(0, 0, 0xffff, a)}:${port}`;
  }
  if (family === 2 && n >= 20) {
    // IPv6: XORed with the cookie and the 96-bit transaction id.
    const w = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      let v = be32(b, s + 4 + i * 4);
      if (xor) v = (v ^ (i === 0 ? MAGIC_COOKIE : be32(b, msg + 4 + i * 4))) >>> 0;
      w[i] = v;
    }
    return `[${formatAddr(w[0], w[1], w[2], w[3])}]:${port}`;
  }
  return undefined;
}

/** RFC 3489's message types (Binding and Shared Secret requests and answers), kept by RFC 8489's numbering. */
const CLASSIC_TYPES = new Set([0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112]);

/**
 * A "classic" STUN message (RFC 3489): no magic cookie, a 128-bit transaction id, a Binding or
 * Shared Secret type, and attributes that end exactly where the message does. Without the
 * cookie this is a weak signature: callers accept it only on STUN's own port.
 */
function isClassicHeader(b: Uint8Array, off: number, len: number): boolean {
  if (len < HEADER_LEN || !CLASSIC_TYPES.has(be16(b, off))) return false;
  const l = be16(b, off + 2);
  if ((l & 3) !== 0 || HEADER_LEN + l !== len) return false;
  let o = off + HEADER_LEN;
  const end = off + len;
  for (let k = 0; k < MAX_ATTRS && o < end; k++) {
    if (o + 4 > end) return false;
    o += 4 + be16(b, o + 2);
  }
  return o === end;
}

/** One STUN message at `off`, or null when the bytes are not one; `classic` also accepts RFC 3489's. */
export function parseMessage(b: Uint8Array, off: number, len: number, classic = false): StunMessage | null {
  if (!isStunHeader(b, off, len) && !(classic && isClassicHeader(b, off, len))) return null;
  const t = be16(b, off);
  const m: StunMessage = {
    cls: ((t >> 4) & 1) | ((t >> 7) & 2),
    method: (t & 0x000f) | ((t >> 1) & 0x0070) | ((t >> 2) & 0x0f80),
    total: HEADER_LEN + be16(b, off + 2),
  };
  const end = off + m.total;
  let o = off + HEADER_LEN;
  // XOR-MAPPED-ADDRESS wins over MAPPED-ADDRESS whatever their order (MS-TURN's MAPPED-ADDRESS
  // is the allocated relay, not the client's reflexive address).
  let plainMapped: string | undefined;
  for (let k = 0; k < MAX_ATTRS && o + 4 <= end; k++) {
    const type = be16(b, o);
    const n = be16(b, o + 2);
    const v = o + 4;
    if (v + n > end) break;
    switch (type) {
      case ATTR_SOFTWARE:
        m.software ??= text(b, v, n);
        break;
      case ATTR_USERNAME:
        m.username ??= text(b, v, n);
        break;
      case ATTR_REALM:
        m.realm ??= text(b, v, n);
        break;
      case ATTR_ERROR_CODE:
        if (n >= 4) m.errorCode = (b[v + 2] & 7) * 100 + b[v + 3];
        break;
      case ATTR_XOR_MAPPED_ADDRESS:
      case ATTR_XOR_MAPPED_ADDRESS_DRAFT:
        m.mappedAddress ??= address(b, v, n, true, off);
        break;
      case ATTR_MAPPED_ADDRESS:
        plainMapped ??= address(b, v, n, false, off);
        break;
      case ATTR_XOR_RELAYED_ADDRESS:
        m.relayedAddress ??= address(b, v, n, true, off);
        break;
    }
    // Values are padded to 4 bytes (RFC 8489 §14).
    o = v + ((n + 3) & ~3);
  }
  m.mappedAddress ??= plainMapped;
  return m;
}

/** A TURN ChannelData message (RFC 8656 §12.4): channel 0x4000–0x4fff, a length, the data. */
export function isChannelData(b: Uint8Array, off: number, len: number): boolean {
  return len >= 4 && (b[off] & 0xc0) === 0x40 && 4 + be16(b, off + 2) <= len;
}
