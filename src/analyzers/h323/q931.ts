// H.225.0 call signalling framing: each Q.931 message in its own TPKT (RFC 1006 §6: version 3, a
// reserved octet, a 16-bit length that counts the header) on TCP 1720, and the message as H.225.0
// §7 profiles Q.931 (§4): protocol discriminator 0x08, call reference (length octet and value,
// its flag bit telling which side sent it), message type, information elements. Single-octet
// elements have the high bit set; the others a one-octet length, except User-user (0x7e), whose
// length H.225.0 §7.2.2.1 makes two octets for the ASN.1 H323-UserInformation it carries after
// its own protocol discriminator (0x05). Display, Calling and Called party number contents are
// never read: only their presence is reported. Pure functions.

export const H225_CS_PORT = 1720;
export const TPKT_VERSION = 3;
export const TPKT_HEADER_LEN = 4;
/** Q.931's protocol discriminator (Q.931 §4.2). */
export const Q931_DISCRIMINATOR = 0x08;
/** User-user's protocol discriminator for X.208/X.209 coded user information (Q.931 §4.5.30). */
const UUIE_ASN1_DISCRIMINATOR = 0x05;
/** Largest call reference length (Q.931 §4.3: four bits; H.225.0 uses two octets). */
const MAX_CALL_REF_LEN = 4;

const IE_CAUSE = 0x08;
const IE_DISPLAY = 0x28;
const IE_CALLING_NUMBER = 0x6c;
const IE_CALLED_NUMBER = 0x70;
const IE_USER_USER = 0x7e;

/** Q.931 message types H.225.0 uses (Q.931 Table 4-2, H.225.0 §7.3), by value. */
const MESSAGE_NAMES: Record<number, string> = {
  0x01: 'alerting',
  0x02: 'callProceeding',
  0x03: 'progress',
  0x05: 'setup',
  0x07: 'connect',
  0x0d: 'setupAcknowledge',
  0x0f: 'connectAcknowledge',
  0x20: 'userInformation',
  0x45: 'disconnect',
  0x4d: 'release',
  0x5a: 'releaseComplete',
  0x62: 'facility',
  0x6e: 'notify',
  0x75: 'statusEnquiry',
  0x7b: 'information',
  0x7d: 'status',
};

export function q931MessageName(type: number): string | undefined {
  return MESSAGE_NAMES[type];
}

/**
 * Total length of the TPKT at `off`: 0 when its header is not all there, -1 when it is no TPKT.
 * An empty TPKT (length 4) is a keep-alive some H.323 stacks send between messages.
 */
export function tpktLength(b: Uint8Array, off: number, len: number): number {
  if (len < 1) return 0;
  if (b[off] !== TPKT_VERSION) return -1;
  if (len < TPKT_HEADER_LEN) return 0;
  if (b[off + 1] !== 0) return -1;
  const n = (b[off + 2] << 8) | b[off + 3];
  return n < TPKT_HEADER_LEN ? -1 : n;
}

/** One Q.931 message: its type, what its elements showed, and where its H.225.0 part is. */
export interface Q931Message {
  type: number;
  /** The call reference flag: set on messages sent by the side that did not originate the call. */
  fromDestination: boolean;
  /** Q.850 cause value of the Cause element (Release Complete's reason in Q.931 terms). */
  cause?: number;
  display: boolean;
  callingNumber: boolean;
  calledNumber: boolean;
  /** The H323-UserInformation's bytes (after User-user's discriminator), or -1 / 0. */
  uuOff: number;
  uuLen: number;
}

/** The Q.931 message of a whole TPKT at `off` (`len` its total length), or null when it is not one. */
export function parseQ931(b: Uint8Array, off: number, len: number): Q931Message | null {
  const end = off + len;
  let p = off + TPKT_HEADER_LEN;
  if (p + 3 > end || b[p] !== Q931_DISCRIMINATOR) return null;
  const crLen = b[p + 1] & 0x0f;
  if (crLen > MAX_CALL_REF_LEN || (b[p + 1] & 0xf0) !== 0) return null;
  p += 2;
  if (p + crLen + 1 > end) return null;
  const fromDestination = crLen > 0 && (b[p] & 0x80) !== 0;
  p += crLen;
  const m: Q931Message = { type: b[p], fromDestination, display: false, callingNumber: false, calledNumber: false, uuOff: -1, uuLen: 0 };
  p++;
  // Every element takes at least one octet: the loop ends within the message.
  while (p < end) {
    const id = b[p];
    if ((id & 0x80) !== 0) {
      p++;
      continue;
    }
    if (id === IE_USER_USER) {
      if (p + 3 > end) return null;
      const n = (b[p + 1] << 8) | b[p + 2];
      if (p + 3 + n > end) return null;
      if (n >= 1 && b[p + 3] === UUIE_ASN1_DISCRIMINATOR && m.uuOff < 0) {
        m.uuOff = p + 4;
        m.uuLen = n - 1;
      }
      p += 3 + n;
      continue;
    }
    if (p + 2 > end) return null;
    const n = b[p + 1];
    if (p + 2 + n > end) return null;
    if (id === IE_CAUSE) m.cause = causeValue(b, p + 2, n);
    else if (id === IE_DISPLAY) m.display = true;
    else if (id === IE_CALLING_NUMBER) m.callingNumber = true;
    else if (id === IE_CALLED_NUMBER) m.calledNumber = true;
    p += 2 + n;
  }
  return m;
}

/** The cause value of a Cause element's contents (Q.931 §4.5.12: octet 3, optional 3a, then octet 4). */
function causeValue(b: Uint8Array, at: number, n: number): number | undefined {
  if (n < 2) return undefined;
  // Octet 3's extension bit clear: octet 3a (recommendation) follows.
  const i = (b[at] & 0x80) === 0 ? 2 : 1;
  return i < n ? b[at + i] & 0x7f : undefined;
}
