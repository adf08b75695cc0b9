// DNP3 parser (IEEE 1815-2012). Data link layer (§9.2): start octets 0x05 0x64, length (the
// control, destination, source and user data octets: 5..255), control, destination and source
// addresses (little-endian), a CRC over those eight header octets, then user data in blocks of at
// most 16 octets each followed by its own CRC (§9.2.4.1.2, CRC-16-DNP: polynomial 0x3D65,
// reflected, complemented). Transport function (§8.2): one octet FIN, FIR, 6-bit sequence.
// Application layer (§4.2.2): application control (FIR, FIN, CON, UNS, SEQ), function code,
// internal indications IIN1/IIN2 in responses (§4.2.2.7), then object headers (§4.2.2.7.3:
// group, variation, qualifier with object prefix and range specifier codes).
// Pure: bytes in, fields or a status out; never reads outside [off, off+len).

export const START_1 = 0x05;
export const START_2 = 0x64;
/** Start, length, control, destination, source and the header CRC. */
export const LINK_HEADER_LEN = 10;
/** Header octets the header CRC covers. */
const LINK_CRC_COVERED = 8;
/** The length octet counts control, destination and source (5 octets) before any user data. */
export const LINK_LENGTH_MIN = 5;
const BLOCK = 16;
const CRC_LEN = 2;
/** 10 header octets, 250 user data octets and 16 block CRCs. */
export const MAX_LINK_FRAME = LINK_HEADER_LEN + 250 + 16 * CRC_LEN;

/** Link control: DIR (from the master), PRM (primary), function (§9.2.4.1.3). */
export const CTRL_DIR = 0x80;
export const TP_FIN = 0x80;
export const TP_FIR = 0x40;
export const TP_SEQ = 0x3f;
/** Application control bits (§4.2.2.4). */
export const AC_FIR = 0x80;
export const AC_FIN = 0x40;
export const AC_CON = 0x20;
export const AC_UNS = 0x10;

/** Largest application fragment a device may be configured for (§4.2.2.1: 2048 octets). */
export const MAX_FRAGMENT = 2048;

/** Reflected CRC-16-DNP table (polynomial 0x3D65 reflected = 0xA6BC). */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ 0xa6bc : c >>> 1;
    t[i] = c;
  }
  return t;
})();

export function crc16(buf: Uint8Array, off: number, len: number): number {
  let c = 0;
  for (let i = off; i < off + len; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c & 0xffff;
}

/** Whether the CRC stored (little-endian) at `off + len` matches the `len` octets at `off`. */
function crcOk(buf: Uint8Array, off: number, len: number): boolean {
  const c = crc16(buf, off, len);
  return buf[off + len] === (c & 0xff) && buf[off + len + 1] === c >>> 8;
}

/** Wire size of a link frame whose length octet is `l` (header, user data, block CRCs). */
export function frameSize(l: number): number {
  const data = l - LINK_LENGTH_MIN;
  return LINK_HEADER_LEN + data + Math.ceil(data / BLOCK) * CRC_LEN;
}

/**
 * Header check of the frame at `off`: > 0 its wire size (start octets, length and header CRC
 * good), 0 more octets needed, -1 not a frame start, -2 a start whose header CRC is wrong.
 */
export function frameLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 1) return 0;
  if (buf[off] !== START_1) return -1;
  if (len < 2) return 0;
  if (buf[off + 1] !== START_2) return -1;
  if (len < 3) return 0;
  if (buf[off + 2] < LINK_LENGTH_MIN) return -1;
  if (len < LINK_HEADER_LEN) return 0;
  if (!crcOk(buf, off, LINK_CRC_COVERED)) return -2;
  return frameSize(buf[off + 2]);
}

/** Offset of the next 0x05 0x64 pair at or after `off` (or a lone 0x05 at the end), or -1. */
export function findStart(buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  for (let i = off; i < end; i++) {
    if (buf[i] !== START_1) continue;
    if (i + 1 === end || buf[i + 1] === START_2) return i;
  }
  return -1;
}

export interface LinkFrame {
  ctrl: number;
  dest: number;
  src: number;
  /** User data with the block CRCs removed (empty for link-only frames). */
  data: Uint8Array;
}

/** A whole frame of `len` octets (as frameLength measured it); 'bad_crc' when a data block's CRC fails. */
export function parseFrame(buf: Uint8Array, off: number, len: number): LinkFrame | 'bad' | 'bad_crc' {
  if (len < LINK_HEADER_LEN || buf[off] !== START_1 || buf[off + 1] !== START_2) return 'bad';
  const l = buf[off + 2];
  if (l < LINK_LENGTH_MIN || frameSize(l) !== len) return 'bad';
  const n = l - LINK_LENGTH_MIN;
  const data = new Uint8Array(n);
  let p = off + LINK_HEADER_LEN;
  let q = 0;
  while (q < n) {
    const b = Math.min(BLOCK, n - q);
    if (!crcOk(buf, p, b)) return 'bad_crc';
    data.set(buf.subarray(p, p + b), q);
    p += b + CRC_LEN;
    q += b;
  }
  return { ctrl: buf[off + 3], dest: buf[off + 4] | (buf[off + 5] << 8), src: buf[off + 6] | (buf[off + 7] << 8), data };
}

/** Function codes with Zeek's names (scripts/base/protocols/dnp3/consts.zeek; IEEE 1815 Table 4-1). */
export const FUNCTION_NAMES: Readonly<Record<number, string>> = {
  0x00: 'CONFIRM',
  0x01: 'READ',
  0x02: 'WRITE',
  0x03: 'SELECT',
  0x04: 'OPERATE',
  0x05: 'DIRECT_OPERATE',
  0x06: 'DIRECT_OPERATE_NR',
  0x07: 'IMMED_FREEZE',
  0x08: 'IMMED_FREEZE_NR',
  0x09: 'FREEZE_CLEAR',
  0x0a: 'FREEZE_CLEAR_NR',
  0x0b: 'FREEZE_AT_TIME',
  0x0c: 'FREEZE_AT_TIME_NR',
  0x0d: 'COLD_RESTART',
  0x0e: 'WARM_RESTART',
  0x0f: 'INITIALIZE_DATA',
  0x10: 'INITIALIZE_APPL',
  0x11: 'START_APPL',
  0x12: 'STOP_APPL',
  0x13: 'SAVE_CONFIG',
  0x14: 'ENABLE_UNSOLICITED',
  0x15: 'DISABLE_UNSOLICITED',
  0x16: 'ASSIGN_CLASS',
  0x17: 'DELAY_MEASURE',
  0x18: 'RECORD_CURRENT_TIME',
  0x19: 'OPEN_FILE',
  0x1a: 'CLOSE_FILE',
  0x1b: 'DELETE_FILE',
  0x1c: 'GET_FILE_INFO',
  0x1d: 'AUTHENTICATE_FILE',
  0x1e: 'ABORT_FILE',
  0x1f: 'ACTIVATE_CONFIG',
  0x20: 'AUTHENTICATE_REQ',
  0x21: 'AUTHENTICATE_REQ_NR',
  0x81: 'RESPONSE',
  0x82: 'UNSOLICITED_RESPONSE',
  0x83: 'AUTHENTICATE_RESPONSE',
};

export function functionName(fc: number): string {
  return FUNCTION_NAMES[fc] ?? `unknown-${fc}`;
}

/** Function codes only an outstation sends (§4.2.2.5: 129..131); they carry IIN. */
export function isResponseCode(fc: number): boolean {
  return fc >= 0x81 && fc <= 0x83;
}

/**
 * Requests that change what the outstation does or holds, making it operable from the network:
 * output control (WRITE, SELECT/OPERATE, DIRECT_OPERATE), counter freezes, restarts, application
 * start/stop and initialisation, configuration (SAVE_CONFIG, ASSIGN_CLASS, ACTIVATE_CONFIG),
 * unsolicited reporting on or off, and file transfer (open, close, delete, abort).
 * READ, CONFIRM, delay measurement, time recording, file info and authentication are not.
 */
const COMMANDS = new Set([
  0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1e, 0x1f,
]);

export function isCommand(fc: number): boolean {
  return COMMANDS.has(fc);
}

/** Packed single bits (binary inputs and outputs, IIN, CROB pattern masks) and double bits (g3v1). */
const PACKED = 0;
const PACKED2 = -2;
/** Fixed object sizes in octets by group << 8 | variation (IEEE 1815 Annex A). */
const OBJECT_SIZE: ReadonlyMap<number, number> = new Map([
  [0x0101, PACKED], [0x0102, 1], [0x0201, 1], [0x0202, 7], [0x0203, 3],
  [0x0301, PACKED2], [0x0302, 1], [0x0401, 1], [0x0402, 7], [0x0403, 3],
  [0x0a01, PACKED], [0x0a02, 1], [0x0b01, 1], [0x0b02, 7], [0x0c01, 11], [0x0c02, 11], [0x0c03, PACKED],
  [0x1401, 5], [0x1402, 3], [0x1405, 4], [0x1406, 2], [0x1501, 5], [0x1502, 3], [0x1505, 11], [0x1506, 9], [0x1509, 4], [0x150a, 2],
  [0x1601, 5], [0x1602, 3], [0x1605, 11], [0x1606, 9], [0x1701, 5], [0x1702, 3], [0x1705, 11], [0x1706, 9],
  [0x1e01, 5], [0x1e02, 3], [0x1e03, 4], [0x1e04, 2], [0x1e05, 5], [0x1e06, 9],
  [0x2001, 5], [0x2002, 3], [0x2003, 11], [0x2004, 9], [0x2005, 5], [0x2006, 9], [0x2007, 11], [0x2008, 15],
  [0x2201, 2], [0x2202, 4], [0x2203, 4],
  [0x2801, 5], [0x2802, 3], [0x2803, 5], [0x2804, 9], [0x2901, 5], [0x2902, 3], [0x2903, 5], [0x2904, 9],
  [0x3201, 6], [0x3202, 10], [0x3203, 6], [0x3301, 6], [0x3302, 6], [0x3401, 2], [0x3402, 2],
  [0x5001, PACKED],
]);
/** Range code 6: all objects, no range and no object data. */
const QUALIFIER_ALL = 0x06;
/** Requests whose object headers name points but carry no object data (§4.4: READ, freezes, class and unsolicited settings). */
const HEADERS_ONLY = new Set([0x01, 0x07, 0x08, 0x09, 0x0a, 0x14, 0x15, 0x16]);

export interface ObjectHeader {
  group: number;
  variation: number;
  qualifier: number;
  /** Objects the range specifier names (0 for "all objects"). */
  count: number;
}

export interface AppFragment {
  control: number;
  fc: number;
  /** IIN1 << 8 | IIN2 (a response's internal indications, as Zeek reports them). */
  iin?: number;
  objects: ObjectHeader[];
  /** The object walk stopped early: an object whose size is not known, or damage. */
  partial: boolean;
}

/** At most this many object headers are kept per fragment. */
export const MAX_OBJECTS = 32;

/**
 * Parses a reassembled application fragment. `response`: the header carries IIN (a response
 * header, 4 octets) rather than a request header (2 octets); Zeek decides by direction.
 */
export function parseFragment(buf: Uint8Array, off: number, len: number, response: boolean): AppFragment | 'bad' {
  const hdr = response ? 4 : 2;
  if (len < hdr) return 'bad';
  const out: AppFragment = { control: buf[off], fc: buf[off + 1], objects: [], partial: false };
  if (response) out.iin = (buf[off + 2] << 8) | buf[off + 3];
  const end = off + len;
  let p = off + hdr;
  // Object data is only laid out in fragments that start a message (FIR); the rest continue one.
  if ((out.control & AC_FIR) === 0) {
    out.partial = p < end;
    return out;
  }
  const headersOnly = !response && HEADERS_ONLY.has(out.fc);
  while (p < end && out.objects.length < MAX_OBJECTS) {
    const next = objectEnd(buf, p, end, out, headersOnly);
    if (next < 0) {
      out.partial = true;
      break;
    }
    p = next;
  }
  return out;
}

/** Reads one object header at `p` and skips its objects; the offset after them, or -1. */
function objectEnd(buf: Uint8Array, p: number, end: number, out: AppFragment, headersOnly: boolean): number {
  if (end - p < 3) return -1;
  const group = buf[p];
  const variation = buf[p + 1];
  const q = buf[p + 2];
  const prefix = (q >>> 4) & 0x07;
  const range = q & 0x0f;
  let r = p + 3;
  let count = 0;
  const need = (n: number): boolean => end - r >= n;
  switch (range) {
    case 0x00:
      if (!need(2)) return -1;
      count = buf[r + 1] - buf[r] + 1;
      r += 2;
      break;
    case 0x01:
      if (!need(4)) return -1;
      count = (buf[r + 2] | (buf[r + 3] << 8)) - (buf[r] | (buf[r + 1] << 8)) + 1;
      r += 4;
      break;
    case 0x02:
      if (!need(8)) return -1;
      count = u32(buf, r + 4) - u32(buf, r) + 1;
      r += 8;
      break;
    case 0x03:
    case 0x04:
    case 0x05: {
      const w = range === 0x03 ? 1 : range === 0x04 ? 2 : 4;
      if (!need(2 * w)) return -1;
      r += 2 * w;
      count = -1;
      break;
    }
    case 0x06:
      break;
    case 0x07:
    case 0x0b:
      if (!need(1)) return -1;
      count = buf[r];
      r += 1;
      break;
    case 0x08:
      if (!need(2)) return -1;
      count = buf[r] | (buf[r + 1] << 8);
      r += 2;
      break;
    case 0x09:
      if (!need(4)) return -1;
      count = u32(buf, r);
      r += 4;
      break;
    default:
      return -1;
  }
  if (count < -1 || count > MAX_FRAGMENT * 8) return -1;
  out.objects.push({ group, variation, qualifier: q, count: count < 0 ? 0 : count });
  // Size-prefixed objects (file transport in a READ, too) always carry their data.
  if (range === QUALIFIER_ALL || count === 0 || (headersOnly && prefix < 4)) return r;
  if (count < 0) return -1;
  const prefixLen = prefix === 1 || prefix === 4 ? 1 : prefix === 2 || prefix === 5 ? 2 : prefix === 3 || prefix === 6 ? 4 : prefix === 0 ? 0 : -1;
  if (prefixLen < 0) return -1;
  const sized = prefix >= 4;
  const size = OBJECT_SIZE.get((group << 8) | variation);
  // Octet strings (g110, g111) and time-tagged ones take their size from the variation.
  const fixed = sized ? undefined : size !== undefined ? size : group === 110 || group === 111 ? variation : undefined;
  if (!sized && fixed === undefined) return -1;
  if (!sized && (fixed === PACKED || fixed === PACKED2)) {
    // Packed bits (1 or, for double-bit inputs, 2 per point), no prefixes.
    const bits = fixed === PACKED ? count : count * 2;
    const n = Math.ceil(bits / 8);
    return need(n) ? r + n : -1;
  }
  for (let i = 0; i < count; i++) {
    if (!need(prefixLen)) return -1;
    let objLen = fixed ?? 0;
    if (sized) objLen = prefixLen === 1 ? buf[r] : prefixLen === 2 ? buf[r] | (buf[r + 1] << 8) : u32(buf, r);
    r += prefixLen;
    if (!need(objLen)) return -1;
    r += objLen;
  }
  return r;
}

function u32(buf: Uint8Array, p: number): number {
  return (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
}

/** "g12v1": how object types are commonly written (group, variation). */
export function objectName(h: ObjectHeader): string {
  return `g${h.group}v${h.variation}`;
}
