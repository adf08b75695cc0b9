// Minimal ASN.1 BER/DER reader (ITU-T X.690 §8.1): identifier octets, definite lengths and
// content bounds. Enough for SPNEGO (RFC 4178), LDAP (RFC 4511) and T.125 MCS. Indefinite
// lengths (§8.1.3.6) are rejected: none of those protocols use them on the wire.

export const CLASS_UNIVERSAL = 0;
export const CLASS_APPLICATION = 1;
export const CLASS_CONTEXT = 2;
export const CLASS_PRIVATE = 3;

export const TAG_BOOLEAN = 1;
export const TAG_INTEGER = 2;
export const TAG_BIT_STRING = 3;
export const TAG_OCTET_STRING = 4;
export const TAG_NULL = 5;
export const TAG_OID = 6;
export const TAG_ENUMERATED = 10;
export const TAG_SEQUENCE = 16;
export const TAG_SET = 17;

/** Long-form lengths longer than this many octets are refused (4 GiB is more than enough). */
const MAX_LENGTH_OCTETS = 4;
/** High tag numbers (§8.1.2.4) longer than this many octets are refused. */
const MAX_TAG_OCTETS = 4;

/** One decoded TLV: `off`..`end` are the content bounds in the buffer. */
export interface Tlv {
  cls: number;
  constructed: boolean;
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  off: number;
  len: number;
  end: number;
}

/**
 * Reads the TLV at `off` whose content must end by `limit`. Returns null when the header is
 * malformed or the content would run past `limit`.
 */
export function readTlv(buf: Uint8Array, off: number, limit: number): Tlv | null {
  if (off < 0 || off + 2 > limit || limit > buf.length) return null;
  const start = off;
  const id = buf[off++];
  const cls = id >>> 6;
  const constructed = (id & 0x20) !== 0;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    let n = 0;
    for (;;) {
      if (off >= limit || ++n > MAX_TAG_OCTETS) return null;
      const b = buf[off++];
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (off >= limit) return null;
  let len = buf[off++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > MAX_LENGTH_OCTETS || off + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off++];
  }
  if (off + len > limit) return null;
  return { cls, constructed, tag, start, off, len, end: off + len };
}

/**
 * Like readTlv but only needs the header: tells how many bytes the whole TLV at `off` takes
 * (header + content), 0 when more bytes are needed to know, -1 when the header is malformed.
 * Stream framing (LDAP over TCP) uses it to find message boundaries.
 */
export function tlvSize(buf: Uint8Array, off: number, limit: number): number {
  if (off + 2 > limit) return 0;
  let p = off + 1;
  if ((buf[off] & 0x1f) === 0x1f) {
    let n = 0;
    for (;;) {
      if (p >= limit) return 0;
      if (++n > MAX_TAG_OCTETS) return -1;
      if ((buf[p++] & 0x80) === 0) break;
    }
  }
  if (p >= limit) return 0;
  let len = buf[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > MAX_LENGTH_OCTETS) return -1;
    if (p + n > limit) return 0;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  return p - off + len;
}

/** A two's-complement INTEGER/ENUMERATED of up to 6 content octets; null otherwise. */
export function readInt(buf: Uint8Array, t: Tlv): number | null {
  if (t.len === 0 || t.len > 6) return null;
  let v = buf[t.off] & 0x80 ? buf[t.off] - 256 : buf[t.off];
  for (let i = t.off + 1; i < t.end; i++) v = v * 256 + buf[i];
  return v;
}

/**
 * Dotted OID text of an OBJECT IDENTIFIER's content (§8.19), or with `relative` of a
 * RELATIVE-OID's (§8.20: every subidentifier one arc, the first not split in two).
 */
export function readOid(buf: Uint8Array, t: Tlv, relative = false): string {
  return oidText(buf, t.off, t.end, relative);
}

/** The same for contents at [off, end), wherever their length came from (PER's length determinant). */
export function oidText(buf: Uint8Array, off: number, end: number, relative = false): string {
  const parts: number[] = [];
  let v = 0;
  let first = !relative;
  for (let i = off; i < end; i++) {
    const b = buf[i];
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) {
      if (v > Number.MAX_SAFE_INTEGER / 128) return '';
      continue;
    }
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      parts.push(a, v - a * 40);
      first = false;
    } else parts.push(v);
    v = 0;
  }
  return parts.join('.');
}

/** Content bytes as UTF-8 text (LDAP strings are UTF-8, RFC 4511 §4.1.2). */
export function readUtf8(buf: Uint8Array, t: Tlv, max = 4096): string {
  const end = Math.min(t.end, t.off + max);
  return Buffer.from(buf.buffer, buf.byteOffset + t.off, end - t.off).toString('utf8');
}
