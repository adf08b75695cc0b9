// Cisco's Skinny Client Control Protocol (SCCP): the signalling between Cisco IP phones, voice
// gateways' analog ports and media resources (conference bridges, media termination points,
// music on hold) and the call manager (Cisco Unified CM, CallManager Express) on TCP 2000; 2443
// is SCCP over TLS. Every message is a little-endian header — data length (4 bytes, counted from
// the message id on), header version (4 bytes: 0 basic; 0x11, 0x12, 0x14, 0x16 once a station has
// negotiated protocol version 17, 18, 20 or 22 with CM 7 and later), message id (4 bytes) — then
// the message's fields. Cisco publishes no specification: the layouts read here are those of real
// registrations and calls (tshark 4.0's decode of nDPI's captures, test/fixtures/ndpi/README.md).
// Pure functions only.
import { ipv4At, ipv6At } from '../l2text.js';

export const SCCP_PORT = 2000;
/** Length, header version and message id. */
export const HEADER_LEN = 12;
/** The length field counts the message id, so a message without fields says 4. */
export const MIN_DATA_LEN = 4;
/**
 * The longest messages in use (soft key templates, XML application data of DeviceToUserData) stay
 * well under this; a longer length means the stream is not SCCP, or the capture lost its place.
 */
export const MAX_DATA_LEN = 4096;
/** Header versions in use: basic, then one per protocol version since 17 (CM 7). */
const HEADER_VERSIONS = new Set([0x00, 0x11, 0x12, 0x14, 0x16]);
/** From this header version on, media addresses are 16 bytes behind an IPv4-or-IPv6 selector. */
const HEADER_V17 = 0x11;

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** A NUL-terminated field of at most `max` bytes: printable ASCII, or null when it holds anything else. */
export function textAt(b: Uint8Array, o: number, max: number, end: number): string | null {
  const stop = Math.min(o + max, end);
  let i = o;
  while (i < stop && b[i] !== 0) {
    if (b[i] < 0x20 || b[i] > 0x7e) return null;
    i++;
  }
  return Buffer.from(b.buffer, b.byteOffset + o, i - o).toString('latin1');
}

export function knownHeaderVersion(v: number): boolean {
  return HEADER_VERSIONS.has(v);
}

/**
 * Total length (header included) of the message at `off`; 0 when fewer than 8 bytes are there to
 * tell, -1 when the length is impossible or the header version is not a small number (the three
 * reserved bytes above it are zero in every version; its value alone is left to the probe, so a
 * version introduced later does not stop the stream).
 */
export function messageSize(b: Uint8Array, off: number, len: number): number {
  if (len < 8) return 0;
  const n = u32(b, off);
  if (n < MIN_DATA_LEN || n > MAX_DATA_LEN || u32(b, off + 4) > 0xff) return -1;
  return 8 + n;
}

export interface Header {
  version: number;
  id: number;
}

export function readHeader(b: Uint8Array, off: number): Header {
  return { version: u32(b, off + 4), id: u32(b, off + 8) };
}

/** The station's RegisterReq: who it is. Fields past the device name only when the message holds them. */
export interface Register {
  deviceName: string;
  stationIp?: string;
  deviceType?: number;
  maxStreams?: number;
  protocolVersion?: number;
  /** firmwareLoadName, sent by newer phones (empty from media resources). */
  firmware?: string;
}

// RegisterReq field offsets within the data (after the message id).
const REG_NAME_LEN = 16;
const REG_STATION_IP = 24;
const REG_DEVICE_TYPE = 28;
const REG_MAX_STREAMS = 32;
const REG_PROTOCOL_VERSION = 40;
const REG_FIRMWARE = 92;
const REG_FIRMWARE_LEN = 32;

/** RegisterReq (0x0001), or null when its device name is not text. `off`/`len`: the whole message. */
export function parseRegister(b: Uint8Array, off: number, len: number): Register | null {
  const d = off + HEADER_LEN;
  const end = off + len;
  if (end - d < REG_NAME_LEN) return null;
  const deviceName = textAt(b, d, REG_NAME_LEN, end);
  if (deviceName === null || deviceName === '') return null;
  const r: Register = { deviceName };
  // Older stations send fewer fields: each is read only when the message reaches past it.
  const n = end - d;
  if (n >= REG_STATION_IP + 4) r.stationIp = ipv4At(b, d + REG_STATION_IP);
  if (n >= REG_DEVICE_TYPE + 4) r.deviceType = u32(b, d + REG_DEVICE_TYPE);
  if (n >= REG_MAX_STREAMS + 4) r.maxStreams = u32(b, d + REG_MAX_STREAMS);
  if (n >= REG_PROTOCOL_VERSION + 1) r.protocolVersion = b[d + REG_PROTOCOL_VERSION];
  if (n >= REG_FIRMWARE + REG_FIRMWARE_LEN) {
    const fw = textAt(b, d + REG_FIRMWARE, REG_FIRMWARE_LEN, end);
    if (fw !== null && fw !== '') r.firmware = fw;
  }
  return r;
}

const REJECT_TEXT_LEN = 33;
const VERSION_TEXT_LEN = 16;

/** RegisterReject's (0x009d) text, the call manager's reason. */
export function parseRejectText(b: Uint8Array, off: number, len: number): string | null {
  return textAt(b, off + HEADER_LEN, REJECT_TEXT_LEN, off + len);
}

/** VersionMessage's (0x0098) version string: the firmware load the call manager has configured for the station. */
export function parseVersion(b: Uint8Array, off: number, len: number): string | null {
  return textAt(b, off + HEADER_LEN, VERSION_TEXT_LEN, off + len);
}

/** CallState's (0x0111) call reference (after the state and the line instance), or -1. */
export function callStateReference(b: Uint8Array, off: number, len: number): number {
  return len >= HEADER_LEN + 12 ? u32(b, off + HEADER_LEN + 8) : -1;
}

/**
 * StartMediaTransmission's (0x008a) RTP destination as "addr:port" ("[v6]:port"), or null. After
 * the conference and pass-through party ids: a 4-byte IPv4 address and the port in the basic
 * layout; from protocol 17 on an IPv4-or-IPv6 selector, a 16-byte address field and the port.
 */
export function mediaDestination(b: Uint8Array, off: number, len: number, headerVersion: number): string | null {
  const d = off + HEADER_LEN;
  const end = off + len;
  if (headerVersion < HEADER_V17) {
    if (d + 16 > end) return null;
    const p = u32(b, d + 12);
    return p > 0xffff ? null : `${ipv4At(b, d + 8)}:${p}`;
  }
  if (d + 32 > end) return null;
  const family = u32(b, d + 8);
  const port = u32(b, d + 28);
  if (port > 0xffff) return null;
  if (family === 0) return `${ipv4At(b, d + 12)}:${port}`;
  if (family !== 1) return null;
  return `[${ipv6At(b, d + 12)}]:${port}`;
}

/** The MAC a Cisco phone's device name carries ("SEP" and its 12 hex digits), as aa:bb:… text, or null. */
export function sepMac(deviceName: string): string | null {
  const m = /^SEP([0-9A-Fa-f]{12})$/.exec(deviceName);
  if (m === null) return null;
  return m[1].toLowerCase().replace(/(..)(?!$)/g, '$1:');
}
