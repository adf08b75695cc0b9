// IEEE C37.118.2 synchrophasor frames (2005 and 2011 versions): phasor measurement units (PMUs)
// and phasor data concentrators (PDCs) on TCP 4712 and UDP 4713 (the standard's defaults; any
// port by the frame's own checksum). Every frame: SYNC (0xAA, then frame type in bits 6–4 and
// version in bits 3–0), FRAMESIZE, IDCODE, SOC, FRACSEC, the body, CHK (CRC-CCITT of the rest).
// Bodies read here: a command's CMD word; a configuration frame's time base, PMU blocks (station
// name, id code, channel counts, nominal frequency) and data rate — CFG-1/CFG-2 with 16-octet
// names, CFG-3 with length-prefixed names; a header frame's text. Data frames are counted.
// Pure functions only.

export const PMU_TCP_PORT = 4712;
export const PMU_UDP_PORT = 4713;
export const HEADER_LEN = 14;
/** FRAMESIZE is 16 bits: no frame is longer. */
export const MAX_FRAME = 65535;
const SYNC = 0xaa;

export const FRAME_TYPES: Record<number, string> = { 0: 'data', 1: 'header', 2: 'cfg1', 3: 'cfg2', 4: 'command', 5: 'cfg3' };

/** CMD words of a command frame (C37.118.2-2011 Table 15). */
export const COMMANDS: Record<number, string> = {
  1: 'turn off transmission',
  2: 'turn on transmission',
  3: 'send HDR frame',
  4: 'send CFG-1 frame',
  5: 'send CFG-2 frame',
  6: 'send CFG-3 frame',
  8: 'extended frame',
};

export interface FrameHeader {
  type: string;
  version: number;
  size: number;
  idcode: number;
  soc: number;
}

/** The common header when `buf[off..]` starts a frame, else null. */
export function parseHeader(buf: Uint8Array, off: number, len: number): FrameHeader | null {
  if (len < 4 || buf[off] !== SYNC || (buf[off + 1] & 0x80) !== 0) return null;
  const type = FRAME_TYPES[(buf[off + 1] >> 4) & 0x07];
  const version = buf[off + 1] & 0x0f;
  const size = (buf[off + 2] << 8) | buf[off + 3];
  if (type === undefined || version < 1 || version > 3 || size < HEADER_LEN + 2) return null;
  if (len < HEADER_LEN) return { type, version, size, idcode: -1, soc: 0 };
  return { type, version, size, idcode: (buf[off + 4] << 8) | buf[off + 5], soc: ((buf[off + 6] << 24) | (buf[off + 7] << 16) | (buf[off + 8] << 8) | buf[off + 9]) >>> 0 };
}

/** CRC-CCITT (polynomial 0x1021, initial 0xFFFF, no final XOR), as C37.118 computes CHK. */
export function crcCcitt(buf: Uint8Array, off: number, len: number): number {
  let crc = 0xffff;
  for (let i = off; i < off + len; i++) {
    crc ^= buf[i] << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** True when the whole frame at `off` (its FRAMESIZE bytes available) ends in a correct CHK. */
export function checksumOk(buf: Uint8Array, off: number, size: number): boolean {
  return crcCcitt(buf, off, size - 2) === ((buf[off + size - 2] << 8) | buf[off + size - 1]);
}

export interface PmuBlock {
  station: string;
  idcode: number;
  phasors: number;
  analogs: number;
  digitals: number;
  /** Nominal frequency, 50 or 60 Hz. */
  fnom: number;
}

export interface ConfigFrame {
  timeBase: number;
  pmus: PmuBlock[];
  /** Frames per second (negative: seconds per frame). */
  dataRate: number;
}

/** Bounds on what one configuration frame is read for. */
const MAX_PMUS = 64;

function text(buf: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = off; i < off + n; i++) {
    const b = buf[i];
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? ' ' : '?';
  }
  return s.trim();
}

/** A CFG-1, CFG-2 or CFG-3 frame's body (`off` at the frame's start, `size` its FRAMESIZE), or null when it does not add up. */
export function parseConfig(buf: Uint8Array, off: number, size: number, cfg3: boolean): ConfigFrame | null {
  const end = off + size - 2;
  let p = off + HEADER_LEN + (cfg3 ? 2 : 0);
  if (p + 6 > end) return null;
  const timeBase = ((buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
  const num = (buf[p + 4] << 8) | buf[p + 5];
  p += 6;
  const pmus: PmuBlock[] = [];
  for (let i = 0; i < num && i < MAX_PMUS; i++) {
    let station: string;
    if (cfg3) {
      if (p + 1 > end) return null;
      const n = buf[p];
      if (p + 1 + n + 2 + 16 + 8 > end) return null;
      station = text(buf, p + 1, n);
      p += 1 + n;
    } else {
      if (p + 16 + 10 > end) return null;
      station = text(buf, p, 16);
      p += 16;
    }
    const idcode = (buf[p] << 8) | buf[p + 1];
    p += 2;
    if (cfg3) p += 16; // G_PMU_ID
    p += 2; // FORMAT
    const phasors = (buf[p] << 8) | buf[p + 1];
    const analogs = (buf[p + 2] << 8) | buf[p + 3];
    const digitals = (buf[p + 4] << 8) | buf[p + 5];
    p += 6;
    const names = phasors + analogs + 16 * digitals;
    if (cfg3) {
      for (let k = 0; k < names; k++) {
        if (p >= end) return null;
        p += 1 + buf[p];
      }
      // PHSCALE 12 each (modification flags 2, phasor type 1, user flags 1, scale and angle
      // offset 4 each), ANSCALE 8 (scale, offset), DIGUNIT 4; PMU_LAT, PMU_LON, PMU_ELEV 4 each;
      // SVC_CLASS 1; WINDOW 4; GRP_DLY 4.
      p += 12 * phasors + 8 * analogs + 4 * digitals + 12 + 1 + 8;
    } else p += 16 * names + 4 * (phasors + analogs + digitals);
    if (p + 4 > end) return null;
    const fnom = (buf[p + 1] & 1) === 1 ? 50 : 60;
    p += 4; // FNOM, CFGCNT
    pmus.push({ station, idcode, phasors, analogs, digitals, fnom });
  }
  if (p + 2 > end) return null;
  const r = (buf[p] << 8) | buf[p + 1];
  return { timeBase, pmus, dataRate: r >= 0x8000 ? r - 0x10000 : r };
}

/** A command frame's CMD word, or -1. */
export function commandOf(buf: Uint8Array, off: number, size: number): number {
  return size >= HEADER_LEN + 4 ? (buf[off + HEADER_LEN] << 8) | buf[off + HEADER_LEN + 1] : -1;
}
