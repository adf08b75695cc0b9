// OpenVPN's packet layer (openvpn/src/openvpn/ssl_pkt.h and the protocol description in
// doc/doxygen/doc_protocol_overview.h): a first byte of opcode (high 5 bits) and key id (low 3),
// then for control packets an 8-byte session id, the tls-auth or tls-crypt wrapping if either
// is configured, an acknowledgement array (with the peer's session id when it is not empty),
// and — except in P_ACK_V1 — a 4-byte message packet id and the payload: the TLS records of
// the control channel. Over TCP each packet is preceded by its 16-bit length. Pure functions.
import { u32 } from '../dns/text.js';

export const OP_HARD_RESET_CLIENT_V1 = 1;
export const OP_HARD_RESET_SERVER_V1 = 2;
export const OP_SOFT_RESET_V1 = 3;
export const OP_CONTROL_V1 = 4;
export const OP_ACK_V1 = 5;
export const OP_DATA_V1 = 6;
export const OP_HARD_RESET_CLIENT_V2 = 7;
export const OP_HARD_RESET_SERVER_V2 = 8;
export const OP_DATA_V2 = 9;
export const OP_HARD_RESET_CLIENT_V3 = 10;
export const OP_CONTROL_WKC_V1 = 11;

export const SESSION_ID_LEN = 8;
/** Replay packet id and net time that follow the HMAC (tls-auth) or precede the tag (tls-crypt). */
const PID_TIME_LEN = 8;
const TLS_CRYPT_TAG_LEN = 32;
/** HMAC sizes of the digests tls-auth is used with (--auth): MD5, SHA1, SHA256, SHA512. */
const HMAC_SIZES: readonly (readonly [number, string])[] = [
  [16, 'MD5'],
  [20, 'SHA1'],
  [32, 'SHA256'],
  [64, 'SHA512'],
];

export function opcode(b: number): number {
  return b >> 3;
}

export function isClientReset(op: number): boolean {
  return op === OP_HARD_RESET_CLIENT_V1 || op === OP_HARD_RESET_CLIENT_V2 || op === OP_HARD_RESET_CLIENT_V3;
}

export function isServerReset(op: number): boolean {
  return op === OP_HARD_RESET_SERVER_V1 || op === OP_HARD_RESET_SERVER_V2;
}

export function isData(op: number): boolean {
  return op === OP_DATA_V1 || op === OP_DATA_V2;
}

export function isControl(op: number): boolean {
  return op >= OP_HARD_RESET_CLIENT_V1 && op <= OP_CONTROL_WKC_V1 && !isData(op);
}

/**
 * How control packets are wrapped: plain TLS mode, tls-auth (an HMAC of `hmacLen` bytes, then
 * packet id and time, all in clear) or tls-crypt (packet id and time, a 32-byte tag, the rest
 * encrypted). tls-crypt-v2 is tls-crypt with a wrapped client key in the client's first reset.
 */
export type Wrap = { mode: 'tls' } | { mode: 'tls-auth'; hmacLen: number; hmac: string } | { mode: 'tls-crypt' } | { mode: 'tls-crypt-v2' };

/**
 * Reads the wrapping off a hard reset (either side's first packet, whose replay packet id is 1
 * and whose acknowledgement array and message packet id are empty and 0 for the client's).
 * Null when none of the layouts fits.
 */
export function wrapOf(buf: Uint8Array, off: number, len: number): Wrap | null {
  if (len < 1 + SESSION_ID_LEN + 5) return null;
  const op = opcode(buf[off]);
  if (op === OP_HARD_RESET_CLIENT_V3) return len >= 1 + SESSION_ID_LEN + PID_TIME_LEN + TLS_CRYPT_TAG_LEN ? { mode: 'tls-crypt-v2' } : null;
  if (!isClientReset(op) && !isServerReset(op)) return null;
  const p = off + 1 + SESSION_ID_LEN;
  const end = off + len;
  const client = isClientReset(op);
  // Plain: the acknowledgement array follows the session id at once.
  if (plainFits(buf, p, end, client)) return { mode: 'tls' };
  // tls-auth: HMAC, then replay packet id 1 and a time, then the (clear) acknowledgement array.
  for (const [h, name] of HMAC_SIZES) {
    const q = p + h;
    if (q + PID_TIME_LEN + 5 <= end && u32(buf, q) === 1 && plainFits(buf, q + PID_TIME_LEN, end, client)) return { mode: 'tls-auth', hmacLen: h, hmac: name };
  }
  // tls-crypt: replay packet id 1 and a time in clear, the tag, then ciphertext.
  if (p + PID_TIME_LEN + TLS_CRYPT_TAG_LEN < end && u32(buf, p) === 1 && u32(buf, p + 4) !== 0) return { mode: 'tls-crypt' };
  return null;
}

/**
 * An acknowledgement array and message packet id 0 at p: the client's reset acknowledges
 * nothing; the server's acknowledges the client's reset (and names its session id).
 */
function plainFits(buf: Uint8Array, p: number, end: number, client: boolean): boolean {
  if (p >= end) return false;
  const acks = buf[p];
  if (client ? acks !== 0 : acks < 1 || acks > 8) return false;
  const q = p + 1 + acks * 4 + (acks > 0 ? SESSION_ID_LEN : 0);
  return q + 4 <= end && u32(buf, q) === 0;
}

/** Bytes of wrapping between the session id and the acknowledgement array. */
export function wrapLen(w: Wrap): number {
  return w.mode === 'tls-auth' ? w.hmacLen + PID_TIME_LEN : 0;
}

export interface ControlPacket {
  op: number;
  /** Message packet id (-1 for P_ACK_V1, which has none). */
  msgId: number;
  /** The payload (TLS records for P_CONTROL_V1). */
  payloadOff: number;
  payloadLen: number;
}

/** Parses a control packet of a clear (plain or tls-auth) channel; 'bad' if it does not fit. */
export function parseControl(buf: Uint8Array, off: number, len: number, w: Wrap): ControlPacket | 'bad' {
  const end = off + len;
  const op = opcode(buf[off]);
  let p = off + 1 + SESSION_ID_LEN + wrapLen(w);
  if (p >= end) return 'bad';
  const acks = buf[p];
  if (acks > 8) return 'bad';
  p += 1 + acks * 4 + (acks > 0 ? SESSION_ID_LEN : 0);
  if (op === OP_ACK_V1) return p <= end ? { op, msgId: -1, payloadOff: p, payloadLen: 0 } : 'bad';
  if (p + 4 > end) return 'bad';
  const msgId = u32(buf, p);
  p += 4;
  // P_CONTROL_WKC_V1 carries the wrapped client key after the payload (tls-crypt-v2 only, which
  // is never parsed here); every other control packet's payload runs to the end.
  return { op, msgId, payloadOff: p, payloadLen: end - p };
}
