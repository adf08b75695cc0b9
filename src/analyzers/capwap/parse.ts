// CAPWAP control messages (RFC 5415: Control And Provisioning of Wireless Access Points; RFC
// 5416: its IEEE 802.11 binding). An access point (WTP) finds and joins its controller (AC)
// over UDP 5246; the discovery exchange is always in clear, the rest normally inside DTLS.
// Cisco's controllers and access points speak the draft-8 flavour in places (a WTP Descriptor
// with a 16-bit encryption field instead of a list; AC information types 0 and 1), read here too.
import { macAt } from '../l2text.js';

export const CAPWAP_CONTROL_PORT = 5246;
/** Preamble types (§4.1): a CAPWAP header follows, or a DTLS header and an encrypted record. */
export const PREAMBLE_CAPWAP = 0x00;
export const PREAMBLE_DTLS = 0x01;
const HEADER_MIN = 8;
const CONTROL_HEADER = 8;
const DTLS_HEADER = 4;
/** DTLS record content types (RFC 6347 §4.1: change_cipher_spec … heartbeat) and versions 1.0/1.2. */
const DTLS_MIN_TYPE = 20;
const DTLS_MAX_TYPE = 25;

/** Control message types (§4.5.1.1). */
export const MESSAGE_TYPES: readonly string[] = [
  '',
  'discovery_request',
  'discovery_response',
  'join_request',
  'join_response',
  'configuration_status_request',
  'configuration_status_response',
  'configuration_update_request',
  'configuration_update_response',
  'wtp_event_request',
  'wtp_event_response',
  'change_state_event_request',
  'change_state_event_response',
  'echo_request',
  'echo_response',
  'image_data_request',
  'image_data_response',
  'reset_request',
  'reset_response',
  'primary_discovery_request',
  'primary_discovery_response',
  'data_transfer_request',
  'data_transfer_response',
  'clear_configuration_request',
  'clear_configuration_response',
  'station_configuration_request',
  'station_configuration_response',
];

/** Message elements read (§4.6). */
export const EL_AC_DESCRIPTOR = 1;
export const EL_AC_NAME = 4;
export const EL_AC_NAME_PRIORITY = 5;
export const EL_DISCOVERY_TYPE = 20;
export const EL_LOCATION_DATA = 28;
export const EL_RESULT_CODE = 33;
export const EL_VENDOR_SPECIFIC = 37;
export const EL_WTP_BOARD_DATA = 38;
export const EL_WTP_DESCRIPTOR = 39;
export const EL_WTP_MAC_TYPE = 44;
export const EL_WTP_NAME = 45;

export const DISCOVERY_TYPES: readonly string[] = ['unknown', 'static', 'dhcp', 'dns', 'ac_referral'];
export const MAC_TYPES: readonly string[] = ['local', 'split', 'both'];

/** Vendor identifiers (IANA enterprise numbers; Cisco's own equipment also writes 0x00409600, its Aironet OUI). */
const VENDORS: Readonly<Record<number, string>> = {
  9: 'Cisco',
  0x00409600: 'Cisco',
  14179: 'Cisco',
  12356: 'Fortinet',
  14823: 'Aruba',
  25053: 'Ruckus',
  2011: 'Huawei',
  1916: 'Extreme Networks',
  4526: 'Netgear',
  14988: 'MikroTik',
};

export function vendorName(id: number): string {
  return VENDORS[id] ?? String(id);
}

export interface CapwapHeader {
  /** Where the control header (or, for a data channel, the frame) starts. */
  body: number;
  /** T: the payload is the binding's native frame (802.11), not 802.3. */
  native: boolean;
  /** The Radio MAC Address field, when present with a 6-byte address. */
  radioMac?: Uint8Array;
}

/** The CAPWAP header at `off` (preamble type 0), or null when it is not one. */
export function parseCapwapHeader(b: Uint8Array, off: number, len: number): CapwapHeader | null {
  if (len < HEADER_MIN || b[off] !== PREAMBLE_CAPWAP) return null;
  const word = ((b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  const hlen = ((word >>> 19) & 0x1f) * 4;
  if (hlen < HEADER_MIN || hlen > len) return null;
  const h: CapwapHeader = { body: off + hlen, native: (word & 0x100) !== 0 };
  // M: a Radio MAC Address (length byte, then the address) follows the fixed 8 bytes.
  if ((word & 0x10) !== 0 && hlen >= HEADER_MIN + 7 && b[off + HEADER_MIN] === 6) h.radioMac = b.subarray(off + 9, off + 15);
  return h;
}

/** A DTLS-wrapped datagram (preamble type 1, §4.2): a 4-byte header and a DTLS 1.0/1.2 record. */
export function isDtlsDatagram(b: Uint8Array, off: number, len: number): boolean {
  if (len < DTLS_HEADER + 13 || b[off] !== PREAMBLE_DTLS) return false;
  const t = b[off + DTLS_HEADER];
  return t >= DTLS_MIN_TYPE && t <= DTLS_MAX_TYPE && b[off + DTLS_HEADER + 1] === 0xfe && (b[off + DTLS_HEADER + 2] === 0xff || b[off + DTLS_HEADER + 2] === 0xfd);
}

export interface ControlHeader {
  /** 0 for the IETF's types, else a vendor's enterprise number. */
  enterprise: number;
  type: number;
  seq: number;
  /** Message elements: [elements, end). */
  elements: number;
  end: number;
}

/** The control header (§4.5.1) at `off`, its element area bounded by `end`, or null. */
export function parseControlHeader(b: Uint8Array, off: number, end: number): ControlHeader | null {
  if (end - off < CONTROL_HEADER) return null;
  const enterprise = (b[off] << 16) | (b[off + 1] << 8) | b[off + 2];
  const type = b[off + 3];
  // Message Element Length counts the Flags byte and the elements after it (Cisco's count also
  // has the length field's own two bytes: the datagram's end bounds the elements either way).
  const elLen = (b[off + 5] << 8) | b[off + 6];
  if (elLen < 1) return null;
  const elements = off + CONTROL_HEADER;
  return { enterprise, type, seq: b[off + 4], elements, end: Math.min(end, elements + elLen - 1) };
}

/** A message type's name, or `<enterprise>:<type>` for a vendor's own. */
export function messageName(h: ControlHeader): string {
  if (h.enterprise === 0 && h.type > 0 && h.type < MESSAGE_TYPES.length) return MESSAGE_TYPES[h.type];
  return `${h.enterprise}:${h.type}`;
}

/**
 * A version or name field: text when every byte is printable (trailing NULs dropped), four raw
 * bytes as a dotted version (Cisco writes 7.5.102.0 as 07 05 66 00), else hex.
 */
export function fieldText(b: Uint8Array, off: number, len: number): string {
  let n = len;
  while (n > 0 && b[off + n - 1] === 0) n--;
  let printable = n > 0;
  for (let i = 0; i < n && printable; i++) printable = b[off + i] >= 0x20 && b[off + i] < 0x7f;
  if (printable) return Buffer.from(b.buffer, b.byteOffset + off, n).toString('latin1').trim();
  if (len === 4) return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
  return Buffer.from(b.buffer, b.byteOffset + off, len).toString('hex');
}

export interface VersionInfo {
  vendor: number;
  type: number;
  value: string;
}

/**
 * A list of vendor sub-elements (vendor 32 bits, type 16, length 16, value), as WTP Descriptor
 * (§4.6.40) and AC Descriptor (§4.6.1) end with; null unless they exactly fill [p, end) with
 * non-empty values.
 */
export function vendorSubElements(b: Uint8Array, p: number, end: number, max = 8): VersionInfo[] | null {
  const out: VersionInfo[] = [];
  while (p < end) {
    if (end - p < 8 || out.length >= max) return null;
    const vendor = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    const type = (b[p + 4] << 8) | b[p + 5];
    const n = (b[p + 6] << 8) | b[p + 7];
    if (n === 0 || end - p - 8 < n) return null;
    out.push({ vendor, type, value: fieldText(b, p + 8, n) });
    p += 8 + n;
  }
  return out;
}

export interface WtpDescriptor {
  maxRadios: number;
  radiosInUse: number;
  versions: VersionInfo[];
}

/**
 * WTP Descriptor (§4.6.40): max radios, radios in use, a count of 3-byte encryption
 * sub-elements, then the version sub-elements; Cisco's draft-8 form has a 16-bit encryption
 * capability where the count and list are. Whichever layout the sub-elements fill exactly wins.
 */
export function parseWtpDescriptor(b: Uint8Array, p: number, end: number): WtpDescriptor | null {
  if (end - p < 3) return null;
  const base = { maxRadios: b[p], radiosInUse: b[p + 1] };
  const rfc = p + 3 + 3 * b[p + 2];
  const versions = (rfc <= end ? vendorSubElements(b, rfc, end) : null) ?? (p + 4 <= end ? vendorSubElements(b, p + 4, end) : null);
  return versions === null ? null : { ...base, versions };
}

export interface AcDescriptor {
  stations: number;
  stationLimit: number;
  activeWtps: number;
  maxWtps: number;
  /** Security: S (pre-shared secret) and X (X.509 certificates) bits. */
  security: number;
  /** DTLS Policy: D (DTLS data channel) and C (clear data channel) bits. */
  dtlsPolicy: number;
  info: VersionInfo[];
}

export function parseAcDescriptor(b: Uint8Array, p: number, end: number): AcDescriptor | null {
  if (end - p < 12) return null;
  const info = vendorSubElements(b, p + 12, end) ?? [];
  return {
    stations: (b[p] << 8) | b[p + 1],
    stationLimit: (b[p + 2] << 8) | b[p + 3],
    activeWtps: (b[p + 4] << 8) | b[p + 5],
    maxWtps: (b[p + 6] << 8) | b[p + 7],
    security: b[p + 8],
    dtlsPolicy: b[p + 11],
    info,
  };
}

/** WTP Board Data (§4.6.39): a vendor identifier, then typed sub-elements (model, serial, board id, revision, base MAC). */
export interface BoardData {
  vendor: number;
  model?: string;
  serial?: string;
  boardId?: string;
  boardRevision?: string;
  baseMac?: string;
}

export function parseBoardData(b: Uint8Array, p: number, end: number): BoardData | null {
  if (end - p < 4) return null;
  const d: BoardData = { vendor: ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0 };
  p += 4;
  for (let i = 0; i < 16 && end - p >= 4; i++) {
    const type = (b[p] << 8) | b[p + 1];
    const n = (b[p + 2] << 8) | b[p + 3];
    if (end - p - 4 < n) return null;
    const q = p + 4;
    if (type === 4 && n === 6) d.baseMac = macAt(b, q);
    else if (n > 0) {
      const v = fieldText(b, q, n);
      if (type === 0) d.model = v;
      else if (type === 1) d.serial = v;
      else if (type === 2) d.boardId = v;
      else if (type === 3) d.boardRevision = v;
    }
    p = q + n;
  }
  return d;
}
