// BACnet tag encoding (ANSI/ASHRAE 135 §20.2.1): a tag octet holds the tag number (bits 7-4),
// the class (bit 3: context-specific) and length/value/type (bits 2-0); tag number 15 and
// LVT 5 extend into following octets; context LVT 6/7 are opening/closing tags.
// Pure readers over a byte range; every read is bounds-checked against `end`.

export const TAG_NULL = 0;
export const TAG_BOOLEAN = 1;
export const TAG_UNSIGNED = 2;
export const TAG_SIGNED = 3;
export const TAG_REAL = 4;
export const TAG_DOUBLE = 5;
export const TAG_OCTET_STRING = 6;
export const TAG_CHARACTER_STRING = 7;
export const TAG_BIT_STRING = 8;
export const TAG_ENUMERATED = 9;
export const TAG_DATE = 10;
export const TAG_TIME = 11;
export const TAG_OBJECT_ID = 12;

const LVT_EXTENDED = 5;
const LVT_OPENING = 6;
const LVT_CLOSING = 7;
const EXT_LEN_16 = 254;
const EXT_LEN_32 = 255;
const TAG_NUM_EXTENDED = 15;

/** Character sets of a CharacterString (§20.2.9). */
const CHARSET_UTF8 = 0;
const CHARSET_UCS2 = 4;
const CHARSET_ISO8859_1 = 5;
/** Strings longer than this are cut: names and versions are short. */
export const MAX_STRING = 256;

export class Tag {
  num = 0;
  context = false;
  opening = false;
  closing = false;
  /** Value length in octets (application Boolean carries its value in `lvt`). */
  len = 0;
  lvt = 0;
  /** Offset of the value's first octet. */
  valueOff = 0;
  /** Offset just past the value. */
  next = 0;
}

/** Reads the tag at `p` into `t`; false when it does not fit before `end`. */
export function readTag(buf: Uint8Array, p: number, end: number, t: Tag): boolean {
  if (p >= end) return false;
  const b = buf[p++];
  t.num = b >> 4;
  t.context = (b & 0x08) !== 0;
  t.lvt = b & 0x07;
  t.opening = false;
  t.closing = false;
  if (t.num === TAG_NUM_EXTENDED) {
    if (p >= end) return false;
    t.num = buf[p++];
  }
  if (t.context && t.lvt === LVT_OPENING) {
    t.opening = true;
    t.len = 0;
  } else if (t.context && t.lvt === LVT_CLOSING) {
    t.closing = true;
    t.len = 0;
  } else if (!t.context && t.num === TAG_BOOLEAN) {
    t.len = 0;
  } else if (t.lvt === LVT_EXTENDED) {
    if (p >= end) return false;
    const e = buf[p++];
    if (e === EXT_LEN_16) {
      if (end - p < 2) return false;
      t.len = (buf[p] << 8) | buf[p + 1];
      p += 2;
    } else if (e === EXT_LEN_32) {
      if (end - p < 4) return false;
      t.len = ((buf[p] << 24) >>> 0) + (buf[p + 1] << 16) + (buf[p + 2] << 8) + buf[p + 3];
      p += 4;
    } else t.len = e;
  } else t.len = t.lvt;
  t.valueOff = p;
  t.next = p + t.len;
  return t.next <= end;
}

/** Big-endian unsigned of up to 4 octets (longer values keep their last 4). */
export function readUnsigned(buf: Uint8Array, off: number, len: number): number {
  let v = 0;
  const start = len > 4 ? off + len - 4 : off;
  for (let i = start; i < off + len; i++) v = v * 256 + buf[i];
  return v;
}

export interface ObjectId {
  type: number;
  instance: number;
}

/** A 4-octet BACnetObjectIdentifier: 10-bit type, 22-bit instance (§20.2.14). */
export function readObjectId(buf: Uint8Array, off: number): ObjectId {
  const v = readUnsigned(buf, off, 4);
  return { type: Math.floor(v / 0x400000), instance: v % 0x400000 };
}

/** Decodes a CharacterString value (first octet: the character set). */
export function readCharacterString(buf: Uint8Array, off: number, len: number): string {
  if (len < 1) return '';
  const set = buf[off];
  const n = Math.min(len - 1, MAX_STRING * 4);
  const body = buf.subarray(off + 1, off + 1 + n);
  let s: string;
  if (set === CHARSET_UTF8) s = new TextDecoder('utf-8').decode(body);
  else if (set === CHARSET_UCS2) {
    s = '';
    for (let i = 0; i + 1 < body.length; i += 2) s += String.fromCharCode((body[i] << 8) | body[i + 1]);
  } else if (set === CHARSET_ISO8859_1) s = Buffer.from(body).toString('latin1');
  else s = Buffer.from(body).toString('latin1');
  s = s.replace(/\0+$/, '');
  return s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
}
