// A bounded reader of ASN.1 aligned PER (ITU-T X.691, ALIGNED variant), the encoding of H.225.0's
// messages: a bit cursor over a byte range with the primitives H323-MESSAGES needs — constrained
// whole numbers (§11.5.7), normally small numbers (§11.6), length determinants (§11.9), sequence
// preambles and extension additions (§19), choice indices (§23), open types (§11.2), OCTET STRING
// (§17), known-multiplier character strings (§27) and OBJECT IDENTIFIER (§24). Reads never throw:
// reading past the end, or an encoding X.691 forbids, sets a sticky `err` and every later read
// returns zero, so a decoder checks once per structure. Fragmented lengths (16K and more) and
// more than 64 extension additions are valid PER that no H.225.0 message needs: they stop the
// reader as `unsupported`, not as damage.
import { oidText } from '../ntlm/ber.js';

/** Why a reader stopped: damage (past the end, a forbidden value), or valid PER beyond this reader. */
export type PerError = 'truncated' | 'invalid' | 'unsupported';

/** Longest character string returned (longer ones are read and cut). */
export const MAX_TEXT = 256;
/** The 13-character alphabet of H.225.0's dialledDigits and NumberDigits, in canonical (code) order. */
export const DIGITS_ALPHABET = '#*,0123456789';
/** Extension additions a sequence may have here (H323-MESSAGES' longest has 34). */
const MAX_ADDITIONS = 64;

export class PerReader {
  buf: Uint8Array = new Uint8Array(0);
  /** Absolute bit position in `buf`, and the first bit past the range. */
  pos = 0;
  end = 0;
  err: PerError | null = null;

  /** Points the reader at `len` bytes from `off` (one long-lived reader, re-pointed). */
  reset(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.pos = off * 8;
    this.end = (off + len) * 8;
    this.err = null;
    return this;
  }

  /** Stops the reader; the first reason is kept. */
  fail(e: PerError): void {
    if (this.err === null) this.err = e;
    this.pos = this.end;
  }

  get ok(): boolean {
    return this.err === null;
  }

  /** Byte offset of the cursor (after align()). */
  get byteOffset(): number {
    return this.pos >>> 3;
  }

  bitsLeft(): number {
    return this.end - this.pos;
  }

  bit(): number {
    if (this.pos >= this.end) {
      this.fail('truncated');
      return 0;
    }
    const b = (this.buf[this.pos >>> 3] >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }

  /** An unsigned bit-field of up to 32 bits. */
  bits(n: number): number {
    if (n > 32 || this.end - this.pos < n) {
      this.fail('truncated');
      return 0;
    }
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  align(): void {
    const r = this.pos & 7;
    if (r !== 0) this.pos += 8 - r;
    if (this.pos > this.end) this.fail('truncated');
  }

  /** Skips `n` aligned octets; returns the byte offset they start at, or -1. */
  octets(n: number): number {
    this.align();
    if (this.err !== null) return -1;
    if (n < 0 || this.end - this.pos < n * 8) {
      this.fail('truncated');
      return -1;
    }
    const at = this.pos >>> 3;
    this.pos += n * 8;
    return at;
  }

  /** Big-endian unsigned value of `n` (≤ 4) aligned octets. */
  private octetValue(n: number): number {
    const at = this.octets(n);
    if (at < 0) return 0;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.buf[at + i];
    return v;
  }

  /** INTEGER(lb..ub), ub - lb < 2^32 (§11.5.7: bit-field, one octet, two octets, or length and octets). */
  constrained(lb: number, ub: number): number {
    const range = ub - lb + 1;
    if (range <= 1) return lb;
    let v: number;
    if (range <= 255) v = this.bits(bitWidth(range - 1));
    else if (range === 256) v = this.octetValue(1);
    else if (range <= 65536) v = this.octetValue(2);
    else {
      // The indefinite-length case: the octet count (1..n) as a bit-field, then the octets.
      const maxOctets = Math.ceil(bitWidth(range - 1) / 8);
      const n = this.bits(bitWidth(maxOctets - 1)) + 1;
      v = this.octetValue(n);
    }
    if (this.err !== null) return lb;
    if (v > ub - lb) {
      this.fail('invalid');
      return lb;
    }
    return lb + v;
  }

  /** A normally small non-negative whole number (§11.6): choice extension indices, bitmap lengths. */
  normallySmall(): number {
    if (this.bit() === 0) return this.bits(6);
    // Semi-constrained: a length and that many octets. Values this large index nothing real.
    const n = this.length();
    if (n < 1 || n > 4) {
      if (this.err === null) this.fail('unsupported');
      return 0;
    }
    return this.octetValue(n);
  }

  /** An unconstrained length determinant (§11.9.3.6), or -1 (fragmented: `unsupported`). */
  length(): number {
    this.align();
    const b0 = this.bits(8);
    if (this.err !== null) return -1;
    if ((b0 & 0x80) === 0) return b0;
    if ((b0 & 0x40) === 0) return ((b0 & 0x3f) << 8) | this.bits(8);
    this.fail('unsupported');
    return -1;
  }

  /** A length constrained to lb..ub (ub < 64K): nothing when fixed, else a constrained whole number. */
  sizedLength(lb: number, ub: number): number {
    return lb === ub ? lb : this.constrained(lb, ub);
  }

  /** A sequence's optional-field bitmap of `n` bits (n ≤ 32), first component in the highest bit. */
  preamble(n: number): number {
    return this.bits(n);
  }

  /**
   * A CHOICE's index (§23): a root alternative 0..rootCount-1, or, when the extension bit is set,
   * rootCount + the extension alternative's normally small index (its value is then an open type).
   */
  choice(rootCount: number, extensible: boolean): number {
    if (extensible && this.bit() === 1) return rootCount + this.normallySmall();
    return rootCount <= 1 ? 0 : this.bits(bitWidth(rootCount - 1));
  }

  /** An open type (§11.2): its length and octets; returns where they start (bytes), or -1. */
  openType(): { at: number; len: number } | null {
    const n = this.length();
    if (n < 0) return null;
    const at = this.octets(n);
    return at < 0 ? null : { at, len: n };
  }

  /**
   * The presence bitmap of a sequence's extension additions, once its extension bit was set
   * (§19.7: a normally small length, then one bit per addition), or null. The additions' open
   * types follow: the caller reads each present one with openType(), in order.
   */
  additionBitmap(): Uint8Array | null {
    const n = this.normallySmall() + 1;
    if (this.err !== null) return null;
    if (n > MAX_ADDITIONS) {
      this.fail('unsupported');
      return null;
    }
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = this.bit();
    return this.err === null ? m : null;
  }

  /** Skips a sequence's extension additions (after its extension bit was set) by their lengths. */
  skipAdditions(): void {
    const n = this.normallySmall() + 1;
    if (this.err !== null) return;
    if (n > MAX_ADDITIONS) {
      this.fail('unsupported');
      return;
    }
    let present = 0;
    for (let i = 0; i < n; i++) present += this.bit();
    for (let i = 0; i < present && this.err === null; i++) this.openType();
  }

  /**
   * OCTET STRING (SIZE(lb..ub)) (§17); ub < 0 for no upper bound. Returns where the octets start
   * and how many, or null. Fixed sizes of one or two octets are not aligned; all others are.
   */
  octetString(lb: number, ub: number): { at: number; len: number } | null {
    if (lb === ub && ub <= 2) {
      // Fixed one or two octets are a bit-field, not aligned: skipped, with no position.
      this.bits(8 * ub);
      return this.err !== null ? null : { at: -1, len: ub };
    }
    const n = ub < 0 || ub >= 65536 ? this.length() : this.sizedLength(lb, ub);
    if (this.err !== null || n < 0) return null;
    if (n < lb) {
      this.fail('invalid');
      return null;
    }
    const at = this.octets(n);
    return at < 0 ? null : { at, len: n };
  }

  /** BMPString (SIZE(lb..ub)) (§27: 16 bits a character, aligned when it can exceed two octets), cut at MAX_TEXT characters. */
  bmpString(lb: number, ub: number): string | null {
    const n = this.sizedLength(lb, ub);
    if (this.err !== null) return null;
    if (n < lb) {
      this.fail('invalid');
      return null;
    }
    if (ub > 1) this.align();
    if (this.end - this.pos < n * 16) {
      this.fail('truncated');
      return null;
    }
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = this.bits(16);
      if (i < MAX_TEXT) s += String.fromCharCode(c);
    }
    return s;
  }

  /**
   * A known-multiplier string of a permitted alphabet (§27.5), size lb..ub (ub < 64K): each
   * character an index into `alphabet` of `b` bits (the aligned variant's power of two). Only the
   * length is returned: the characters (dialled digits) are skipped, never read.
   */
  skipIndexedString(lb: number, ub: number, b: number): number {
    const n = this.sizedLength(lb, ub);
    if (this.err !== null) return -1;
    if (ub * b > 16) this.align();
    if (this.end - this.pos < n * b) {
      this.fail('truncated');
      return -1;
    }
    this.pos += n * b;
    return n;
  }

  /** OBJECT IDENTIFIER (§24, X.690 §8.19 contents): dotted text, or null. */
  oid(): string | null {
    const n = this.length();
    if (n < 0) return null;
    if (n === 0) {
      this.fail('invalid');
      return null;
    }
    const at = this.octets(n);
    if (at < 0) return null;
    // The contents are BER's (X.690 §8.19): the shared reader, with an unfinished last arc or an
    // arc past 2^53 refused.
    const text = (this.buf[at + n - 1] & 0x80) === 0 ? oidText(this.buf, at, at + n) : '';
    if (text === '') {
      this.fail('invalid');
      return null;
    }
    return text;
  }
}

/** Bits to hold 0..max. */
export function bitWidth(max: number): number {
  let n = 0;
  while (max > 0) {
    n++;
    max = Math.floor(max / 2);
  }
  return n;
}
