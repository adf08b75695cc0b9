// WireGuard's messages (the WireGuard paper, §5.4, and the Linux implementation's messages.h):
// a type byte and three reserved zero bytes, then a message of fixed size — handshake
// initiation (148 bytes: sender index, ephemeral key, encrypted static key and timestamp, two
// MACs), handshake response (92: sender and receiver index, ephemeral key, empty encrypted,
// MACs), cookie reply (64) — or transport data (receiver index, counter, then the encrypted
// packet padded to 16 bytes and its 16-byte tag: 32 + 16n bytes). Pure functions.

export const MSG_INITIATION = 1;
export const MSG_RESPONSE = 2;
export const MSG_COOKIE_REPLY = 3;
export const MSG_TRANSPORT = 4;

export const INITIATION_LEN = 148;
export const RESPONSE_LEN = 92;
export const COOKIE_REPLY_LEN = 64;
/** Header (16) and tag (16) of a transport message with nothing inside: a keepalive. */
export const TRANSPORT_MIN_LEN = 32;

export interface Message {
  type: number;
  /** Initiation, response: the sender's index; transport, cookie reply: the receiver's. */
  index: number;
  /** Response: the initiator's index it answers. */
  receiver: number;
}

function u32le(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** Parses one datagram; null if it is no WireGuard message (wrong type, reserved bytes or size). */
export function parseMessage(buf: Uint8Array, off: number, len: number): Message | null {
  if (len < TRANSPORT_MIN_LEN) return null;
  const type = buf[off];
  if (buf[off + 1] !== 0 || buf[off + 2] !== 0 || buf[off + 3] !== 0) return null;
  switch (type) {
    case MSG_INITIATION:
      return len === INITIATION_LEN ? { type, index: u32le(buf, off + 4), receiver: 0 } : null;
    case MSG_RESPONSE:
      return len === RESPONSE_LEN ? { type, index: u32le(buf, off + 4), receiver: u32le(buf, off + 8) } : null;
    case MSG_COOKIE_REPLY:
      return len === COOKIE_REPLY_LEN ? { type, index: u32le(buf, off + 4), receiver: 0 } : null;
    case MSG_TRANSPORT:
      return (len - TRANSPORT_MIN_LEN) % 16 === 0 ? { type, index: u32le(buf, off + 4), receiver: 0 } : null;
    default:
      return null;
  }
}
