// A bounded NDR reader (C706 §14) over one DCE/RPC stub, in the transfer syntax the presentation
// context was bound with: NDR 2.0 (4-byte pointers and conformance counts) or NDR64 (MS-RPCE
// 2.2.5: 8-byte pointers and counts, 4-byte enums). Reads only [start, end); any read past it, or
// a count no stub of ours holds, makes `ok` false and later reads return zero. Little-endian only.

/** Longer names than NetBIOS/DNS computer and account names ever are (MS-NRPC 3.5.4.4.2). */
const MAX_NAME_CHARS = 256;

/** Bounded NDR reader over one stub (alignment is relative to the stub's start, C706 §14.2.2). */
export class Ndr {
  p: number;
  ok = true;
  constructor(
    private readonly buf: Uint8Array,
    private readonly start: number,
    private readonly end: number,
    readonly ndr64: boolean,
  ) {
    this.p = start;
  }
  align(n: number): void {
    const rel = (this.p - this.start) % n;
    if (rel !== 0) this.p += n - rel;
    if (this.p > this.end) this.ok = false;
  }
  u16(): number {
    this.align(2);
    if (!this.ok || this.p + 2 > this.end) return this.fail();
    const v = this.buf[this.p] | (this.buf[this.p + 1] << 8);
    this.p += 2;
    return v;
  }
  u32(): number {
    this.align(4);
    if (!this.ok || this.p + 4 > this.end) return this.fail();
    const b = this.buf;
    const v = (b[this.p] | (b[this.p + 1] << 8) | (b[this.p + 2] << 16)) + b[this.p + 3] * 0x1000000;
    this.p += 4;
    return v;
  }
  /** A pointer's referent id or a conformance/variance count: 4 octets in NDR 2.0, 8 in NDR64. */
  size(): number {
    if (!this.ndr64) return this.u32();
    this.align(8);
    const lo = this.u32();
    const hi = this.u32();
    // Counts beyond 32 bits are never a name: treat them as unreadable.
    return hi !== 0 ? this.fail() : lo;
  }
  /** An enum: a short in NDR 2.0 (C706 §14.2.5), a 32-bit integer in NDR64. */
  enumValue(): number {
    return this.ndr64 ? this.u32() : this.u16();
  }
  /** A conformant varying wchar_t string ([string] wchar_t*) of at most `maxChars`, without its terminating NUL. */
  wstring(maxChars = MAX_NAME_CHARS): string {
    const max = this.size();
    const offset = this.size();
    const actual = this.size();
    if (!this.ok || offset !== 0 || actual > max || actual > maxChars || this.p + actual * 2 > this.end) {
      this.fail();
      return '';
    }
    let n = actual;
    if (n > 0 && this.buf[this.p + 2 * (n - 1)] === 0 && this.buf[this.p + 2 * (n - 1) + 1] === 0) n--;
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.p, n * 2).toString('utf16le');
    this.p += actual * 2;
    return s;
  }
  /** A [unique] pointer to a string (LOGONSRV_HANDLE, SRVSVC_HANDLE): '' when null. */
  uniqueWstring(maxChars = MAX_NAME_CHARS): string {
    const ref = this.size();
    return ref === 0 || !this.ok ? '' : this.wstring(maxChars);
  }
  /** `n` octets: whether they are all zero (null when they are not all there). */
  zeroOctets(n: number): boolean | null {
    if (!this.ok || this.p + n > this.end) {
      this.fail();
      return null;
    }
    let zero = true;
    for (let i = 0; i < n; i++) if (this.buf[this.p + i] !== 0) zero = false;
    this.p += n;
    return zero;
  }
  private fail(): number {
    this.ok = false;
    return 0;
  }
}

