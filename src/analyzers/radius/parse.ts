// RADIUS parser (RFC 2865 §3 packet format and §5 attributes; RFC 2866 accounting; RFC 5176
// Dynamic Authorization): a pure function from one UDP datagram to the header and its
// attributes, with Vendor-Specific (26) split into vendor id and sub-attributes (§5.26's
// suggested format). Never reads past `off + len`, never throws.

/** RFC 2865 §3: Code, Identifier, Length (2), Authenticator (16). */
export const HEADER_LEN = 20;
/** RFC 2865 §3: the maximum length of a packet. */
export const MAX_PACKET_LEN = 4096;
const AUTHENTICATOR_LEN = 16;
const ATTR_HEADER_LEN = 2;
/** Vendor-Specific: Vendor-Id (4) before the vendor's data. */
const VENDOR_ID_LEN = 4;

export const CODE_ACCESS_REQUEST = 1;
export const CODE_ACCESS_ACCEPT = 2;
export const CODE_ACCESS_REJECT = 3;
export const CODE_ACCOUNTING_REQUEST = 4;
export const CODE_ACCOUNTING_RESPONSE = 5;
export const CODE_ACCESS_CHALLENGE = 11;

/** Message types of RFC 2865 §3, RFC 2866 §3, RFC 5176 §3 (names as Zeek's RADIUS::msg_types). */
export const CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'Access-Request'],
  [2, 'Access-Accept'],
  [3, 'Access-Reject'],
  [4, 'Accounting-Request'],
  [5, 'Accounting-Response'],
  [11, 'Access-Challenge'],
  [12, 'Status-Server'],
  [13, 'Status-Client'],
  [40, 'Disconnect-Request'],
  [41, 'Disconnect-ACK'],
  [42, 'Disconnect-NAK'],
  [43, 'CoA-Request'],
  [44, 'CoA-ACK'],
  [45, 'CoA-NAK'],
]);

/** Codes sent by a RADIUS client (NAS) or, for 40/43, by the Dynamic Authorization Client. */
export const REQUEST_CODES: ReadonlySet<number> = new Set([1, 4, 12, 13, 40, 43]);

export const ATTR_USER_NAME = 1;
export const ATTR_USER_PASSWORD = 2;
export const ATTR_CHAP_PASSWORD = 3;
export const ATTR_NAS_IP_ADDRESS = 4;
export const ATTR_NAS_PORT = 5;
export const ATTR_SERVICE_TYPE = 6;
export const ATTR_FRAMED_IP_ADDRESS = 8;
export const ATTR_REPLY_MESSAGE = 18;
export const ATTR_VENDOR_SPECIFIC = 26;
export const ATTR_CALLED_STATION_ID = 30;
export const ATTR_CALLING_STATION_ID = 31;
export const ATTR_NAS_IDENTIFIER = 32;
export const ATTR_ACCT_STATUS_TYPE = 40;
export const ATTR_ACCT_SESSION_ID = 44;
export const ATTR_NAS_PORT_TYPE = 61;
export const ATTR_TUNNEL_CLIENT_ENDPOINT = 66;
export const ATTR_CONNECT_INFO = 77;
export const ATTR_EAP_MESSAGE = 79;
export const ATTR_NAS_PORT_ID = 87;
export const ATTR_NAS_IPV6_ADDRESS = 95;
export const ATTR_ERROR_CAUSE = 101;

export interface VendorAttribute {
  type: number;
  /** Offset and length of the sub-attribute's value in the datagram. */
  off: number;
  len: number;
}

export interface RadiusAttribute {
  type: number;
  /** Offset and length of the value in the datagram (zero-copy; read it before the buffer is reused). */
  off: number;
  len: number;
  /** Vendor-Specific only: the SMI enterprise number. */
  vendor?: number;
  /** Vendor-Specific only, when the vendor data follows RFC 2865 §5.26's type/length layout. */
  sub?: VendorAttribute[];
}

export interface RadiusMessage {
  code: number;
  identifier: number;
  length: number;
  /** Request or Response Authenticator (RFC 2865 §3), as 32 hex digits. */
  authenticator: string;
  attributes: RadiusAttribute[];
  /**
   * Set when the attributes do not tile the packet (one shorter than 2 octets or running past
   * Length): the header is sound and the attributes before the damage are kept (Suricata-style
   * damage flag, not a rejection).
   */
  damaged?: 'bad_attribute';
}

export type ParseStatus = 'truncated' | 'bad_code' | 'bad_length';

/** Whether `code` is a RADIUS message type. */
export function knownCode(code: number): boolean {
  return CODE_NAMES.has(code);
}

/**
 * Parses one datagram. The Length field must fit the datagram; octets past it are padding and
 * ignored (RFC 2865 §3). Attributes should tile the packet exactly, each at least 2 octets long;
 * where they do not, the message comes back with `damaged` set.
 */
export function parseRadius(buf: Uint8Array, off: number, len: number): RadiusMessage | ParseStatus {
  if (len < HEADER_LEN) return 'truncated';
  const code = buf[off];
  if (!knownCode(code)) return 'bad_code';
  const length = (buf[off + 2] << 8) | buf[off + 3];
  if (length < HEADER_LEN || length > MAX_PACKET_LEN) return 'bad_length';
  if (length > len) return 'truncated';
  let auth = '';
  for (let i = 0; i < AUTHENTICATOR_LEN; i++) auth += buf[off + 4 + i].toString(16).padStart(2, '0');
  const attributes: RadiusAttribute[] = [];
  const end = off + length;
  let p = off + HEADER_LEN;
  let damaged: RadiusMessage['damaged'];
  // Each attribute is at least 2 octets, so at most (4096 - 20) / 2 iterations.
  while (p < end) {
    if (end - p < ATTR_HEADER_LEN || buf[p + 1] < ATTR_HEADER_LEN || p + buf[p + 1] > end) {
      damaged = 'bad_attribute';
      break;
    }
    const type = buf[p];
    const alen = buf[p + 1];
    const a: RadiusAttribute = { type, off: p + ATTR_HEADER_LEN, len: alen - ATTR_HEADER_LEN };
    if (type === ATTR_VENDOR_SPECIFIC && a.len >= VENDOR_ID_LEN) {
      a.vendor = ((buf[a.off] << 24) | (buf[a.off + 1] << 16) | (buf[a.off + 2] << 8) | buf[a.off + 3]) >>> 0;
      const sub = vendorSubAttributes(buf, a.off + VENDOR_ID_LEN, a.off + a.len);
      if (sub !== null) a.sub = sub;
    }
    attributes.push(a);
    p += alen;
  }
  const m: RadiusMessage = { code, identifier: buf[off + 1], length, authenticator: auth, attributes };
  if (damaged !== undefined) m.damaged = damaged;
  return m;
}

/** RFC 2865 §5.26's suggested vendor layout (type, length, value …); null when the data does not tile that way. */
function vendorSubAttributes(buf: Uint8Array, start: number, end: number): VendorAttribute[] | null {
  const out: VendorAttribute[] = [];
  let p = start;
  while (p < end) {
    if (end - p < ATTR_HEADER_LEN) return null;
    const l = buf[p + 1];
    if (l < ATTR_HEADER_LEN || p + l > end) return null;
    out.push({ type: buf[p], off: p + ATTR_HEADER_LEN, len: l - ATTR_HEADER_LEN });
    p += l;
  }
  return out;
}

/** The first attribute of a type, or undefined. */
export function firstAttr(m: RadiusMessage, type: number): RadiusAttribute | undefined {
  for (const a of m.attributes) if (a.type === type) return a;
  return undefined;
}

/** A 32-bit integer attribute value (RFC 2865 §5 "integer"). */
export function attrUint32(buf: Uint8Array, a: RadiusAttribute): number | undefined {
  if (a.len !== 4) return undefined;
  return ((buf[a.off] << 24) | (buf[a.off + 1] << 16) | (buf[a.off + 2] << 8) | buf[a.off + 3]) >>> 0;
}

/**
 * Normalises a MAC written as text (Calling-Station-Id "00-14-22-E9-54-5E", "985AEB898000",
 * "0014.22e9.545e") to lower-case colon form, as Zeek's normalize_mac: the hex digits only,
 * 12 (EUI-48) or 16 (EUI-64) of them, else the empty string.
 */
export function normalizeMac(s: string): string {
  const hex = s.replace(/[^A-Fa-f0-9]/g, '').toLowerCase();
  if (hex.length !== 12 && hex.length !== 16) return '';
  return hex.match(/../g)!.join(':');
}
