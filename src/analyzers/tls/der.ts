// A small bounded ASN.1 DER reader (ITU-T X.690 §8 and §10): reads one TLV at a time inside a
// given window, never past it. Definite lengths only (DER forbids the indefinite form); lengths
// and tag numbers are capped so hostile input cannot make it loop or allocate.

export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_UTF8 = 0x0c;
export const TAG_NUMERIC = 0x12;
export const TAG_PRINTABLE = 0x13;
export const TAG_T61 = 0x14;
export const TAG_VIDEOTEX = 0x15;
export const TAG_IA5 = 0x16;
export const TAG_UTC_TIME = 0x17;
export const TAG_GENERALIZED_TIME = 0x18;
export const TAG_GRAPHIC = 0x19;
export const TAG_VISIBLE = 0x1a;
export const TAG_GENERAL = 0x1b;
export const TAG_UNIVERSAL = 0x1c;
export const TAG_BMP = 0x1e;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;
/** Context-specific class bits, and the constructed bit. */
export const CLASS_CONTEXT = 0x80;
export const CONSTRUCTED = 0x20;

/** Longest length field accepted (4 bytes: up to 4 GiB, far beyond any window here). */
const MAX_LENGTH_BYTES = 4;
/** High-tag-number form: at most this many continuation bytes. */
const MAX_TAG_BYTES = 4;
/** OIDs longer than this are not decoded (none in X.509 comes close). */
const MAX_OID_BYTES = 64;

/** One TLV: `tag` is the identifier octet (class, constructed bit, low tag number). */
export interface Tlv {
  tag: number;
  /** The identifier octet's offset (start of the whole encoding). */
  off: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte. */
  end: number;
}

/** Reads the TLV at `off`, which must end at or before `limit`; null if malformed. */
export function readTlv(buf: Uint8Array, off: number, limit: number): Tlv | null {
  if (limit > buf.length) limit = buf.length;
  if (off + 2 > limit) return null;
  const tag = buf[off];
  let p = off + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number: skip its base-128 continuation bytes.
    let n = 0;
    while (p < limit && buf[p] & 0x80) {
      p++;
      if (++n > MAX_TAG_BYTES) return null;
    }
    p++;
    if (p >= limit) return null;
  }
  const l0 = buf[p++];
  let len = 0;
  if (l0 < 0x80) len = l0;
  else {
    const n = l0 & 0x7f;
    if (n === 0 || n > MAX_LENGTH_BYTES || p + n > limit) return null;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > limit) return null;
  return { tag, off, start: p, end: p + len };
}

/** The children of a constructed TLV, at most `max` of them; null if any is malformed. */
export function children(buf: Uint8Array, t: Tlv, max = 256): Tlv[] | null {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end) {
    if (out.length >= max) return null;
    const c = readTlv(buf, p, t.end);
    if (c === null) return null;
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Dotted-decimal OID text (X.690 §8.19), or null if malformed. */
export function oidText(buf: Uint8Array, t: Tlv): string | null {
  const len = t.end - t.start;
  if (len === 0 || len > MAX_OID_BYTES) return null;
  const arcs: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    const b = buf[i];
    // Arcs above 2^53 cannot be represented exactly; reject rather than mis-print.
    if (v > Number.MAX_SAFE_INTEGER / 128) return null;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  if (buf[t.end - 1] & 0x80) return null;
  return arcs.join('.');
}

/** An INTEGER's magnitude as upper-case hex, the sign-padding zero bytes dropped ("00" for 0). */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  let s = t.start;
  while (s < t.end - 1 && buf[s] === 0) s++;
  let out = '';
  for (let i = s; i < t.end; i++) out += (buf[i] < 16 ? '0' : '') + buf[i].toString(16);
  return out === '' ? '00' : out.toUpperCase();
}

/** Number of significant bits of an unsigned big-endian integer's content. */
export function bitLength(buf: Uint8Array, start: number, end: number): number {
  let s = start;
  while (s < end && buf[s] === 0) s++;
  if (s === end) return 0;
  return (end - s - 1) * 8 + (32 - Math.clz32(buf[s]));
}

/** An unsigned INTEGER as a decimal string (bounded: longer values are given in hex). */
export function integerDecimal(buf: Uint8Array, t: Tlv): string {
  const hex = integerHex(buf, t);
  if (hex.length > 128) return '0x' + hex;
  return BigInt('0x' + hex).toString(10);
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * UTCTime (YYMMDDhhmm[ss], RFC 5280 §4.1.2.5.1: YY < 50 is 20YY) or GeneralizedTime
 * (YYYYMMDDhhmm[ss[.f]]), each with Z or ±hhmm; seconds since the epoch, or null.
 */
export function parseTime(buf: Uint8Array, t: Tlv): number | null {
  const len = t.end - t.start;
  if (len < 10 || len > 32) return null;
  const s = String.fromCharCode(...buf.subarray(t.start, t.end));
  let i = 0;
  let year: number;
  if (t.tag === TAG_UTC_TIME) {
    year = digits(s, 0, 2);
    year += year < 50 ? 2000 : 1900;
    i = 2;
  } else if (t.tag === TAG_GENERALIZED_TIME) {
    year = digits(s, 0, 4);
    i = 4;
  } else return null;
  const mon = digits(s, i, 2);
  const day = digits(s, i + 2, 2);
  const hh = digits(s, i + 4, 2);
  const mm = digits(s, i + 6, 2);
  i += 8;
  let ss = 0;
  if (i + 2 <= s.length && s[i] >= '0' && s[i] <= '9') {
    ss = digits(s, i, 2);
    i += 2;
  }
  if (s[i] === '.' || s[i] === ',') {
    i++;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
  }
  let offset = 0;
  if (s[i] === '+' || s[i] === '-') {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 3, 2);
    offset = (oh * 60 + om) * 60 * (s[i] === '+' ? 1 : -1);
  }
  const v = Date.UTC(year, mon - 1, day, hh, mm, ss) / 1000 - offset;
  return Number.isFinite(v) ? v : null;
}
