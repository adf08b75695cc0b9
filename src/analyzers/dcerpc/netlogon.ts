// Netlogon secure-channel setup stubs (MS-NRPC 3.5.4.4.1 NetrServerReqChallenge, 3.5.4.4.2
// NetrServerAuthenticate3, 3.5.4.4.3 NetrServerAuthenticate2, 3.5.4.4.4 NetrServerAuthenticate),
// read far enough to see the client's challenge and credential (an all-zero one is the Zerologon
// exploit, CVE-2020-1472) and the server's NTSTATUS. The stub is NDR (C706 §14) in the transfer
// syntax the presentation context was bound with: NDR 2.0 (4-byte pointers and conformance
// counts) or NDR64 (MS-RPCE 2.2.5: 8-byte pointers and counts, 4-byte enums). Pure: reads only
// [off, end) and returns null on anything it cannot read. Little-endian data only (every
// Windows, Samba and impacket client); big-endian stubs return null.

export const OPNUM_REQ_CHALLENGE = 4;
export const OPNUM_AUTHENTICATE = 5;
export const OPNUM_AUTHENTICATE2 = 15;
export const OPNUM_AUTHENTICATE3 = 26;
export const OPNUM_PASSWORD_SET2 = 30;
export const NETLOGON_UUID = '12345678-1234-abcd-ef00-01234567cffb';

/** NETLOGON_CREDENTIAL (2.2.1.3.4) and the challenges: 8 octets. */
const CREDENTIAL_LEN = 8;
/** Longer names than NetBIOS/DNS computer and account names ever are (MS-NRPC 3.5.4.4.2). */
const MAX_NAME_CHARS = 256;

export const STATUS_SUCCESS = 0;
export const STATUS_ACCESS_DENIED = 0xc0000022;

/** Bounded NDR reader over one stub (alignment is relative to the stub's start, C706 §14.2.2). */
class Ndr {
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
  /** A conformant varying wchar_t string ([string] wchar_t*), without its terminating NUL. */
  wstring(): string {
    const max = this.size();
    const offset = this.size();
    const actual = this.size();
    if (!this.ok || offset !== 0 || actual > max || actual > MAX_NAME_CHARS || this.p + actual * 2 > this.end) {
      this.fail();
      return '';
    }
    let n = actual;
    if (n > 0 && this.buf[this.p + 2 * (n - 1)] === 0 && this.buf[this.p + 2 * (n - 1) + 1] === 0) n--;
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.p, n * 2).toString('utf16le');
    this.p += actual * 2;
    return s;
  }
  /** A [unique] pointer to a string (LOGONSRV_HANDLE): '' when null. */
  uniqueWstring(): string {
    const ref = this.size();
    return ref === 0 || !this.ok ? '' : this.wstring();
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

export interface ReqChallengeRequest {
  primaryName: string;
  computerName: string;
  /** ClientChallenge is eight zero octets (the Zerologon exploit's choice). */
  zeroChallenge: boolean;
}

/** NetrServerReqChallenge request stub: PrimaryName, ComputerName, ClientChallenge. */
export function parseReqChallengeRequest(buf: Uint8Array, off: number, end: number, ndr64: boolean): ReqChallengeRequest | null {
  if (off < 0 || end > buf.length || off >= end) return null;
  const r = new Ndr(buf, off, end, ndr64);
  const primaryName = r.uniqueWstring();
  r.align(4);
  const computerName = r.wstring();
  const zero = r.zeroOctets(CREDENTIAL_LEN);
  return r.ok && zero !== null ? { primaryName, computerName, zeroChallenge: zero } : null;
}

export interface AuthenticateRequest {
  primaryName: string;
  accountName: string;
  /** NETLOGON_SECURE_CHANNEL_TYPE (2.2.1.3.13). */
  secureChannelType: number;
  computerName: string;
  /** ClientCredential is eight zero octets. */
  zeroCredential: boolean;
  /** NegotiateFlags (Authenticate2/3 only). */
  negotiateFlags?: number;
}

/**
 * NetrServerAuthenticate{,2,3} request stub: PrimaryName, AccountName, SecureChannelType,
 * ComputerName, ClientCredential, then NegotiateFlags (opnums 15 and 26).
 */
export function parseAuthenticateRequest(buf: Uint8Array, off: number, end: number, ndr64: boolean, opnum: number): AuthenticateRequest | null {
  if (off < 0 || end > buf.length || off >= end) return null;
  const r = new Ndr(buf, off, end, ndr64);
  const primaryName = r.uniqueWstring();
  r.align(4);
  const accountName = r.wstring();
  const secureChannelType = r.enumValue();
  r.align(4);
  const computerName = r.wstring();
  const zero = r.zeroOctets(CREDENTIAL_LEN);
  if (!r.ok || zero === null) return null;
  const out: AuthenticateRequest = { primaryName, accountName, secureChannelType, computerName, zeroCredential: zero };
  if (opnum === OPNUM_AUTHENTICATE2 || opnum === OPNUM_AUTHENTICATE3) {
    const f = r.u32();
    if (r.ok) out.negotiateFlags = f;
  }
  return out;
}

/** Where ReturnValue sits in a response stub: after ServerCredential, NegotiateFlags and AccountRid as the opnum has them. */
const STATUS_AT: Record<number, number> = {
  [OPNUM_REQ_CHALLENGE]: CREDENTIAL_LEN,
  [OPNUM_AUTHENTICATE]: CREDENTIAL_LEN,
  [OPNUM_AUTHENTICATE2]: CREDENTIAL_LEN + 4,
  [OPNUM_AUTHENTICATE3]: CREDENTIAL_LEN + 4 + 4,
};

/** The NTSTATUS ReturnValue of a ReqChallenge/Authenticate response stub, or null. */
export function parseNetlogonStatus(buf: Uint8Array, off: number, end: number, opnum: number): number | null {
  const at = STATUS_AT[opnum];
  if (at === undefined || off < 0 || end > buf.length) return null;
  const p = off + at;
  if (p + 4 > end) return null;
  return (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16)) + buf[p + 3] * 0x1000000;
}

/** NTSTATUS as MS-ERREF names the values a netlogon authentication returns, else hex. */
export function ntStatusName(s: number): string {
  if (s === STATUS_SUCCESS) return 'STATUS_SUCCESS';
  if (s === STATUS_ACCESS_DENIED) return 'STATUS_ACCESS_DENIED';
  if (s === 0xc0000064) return 'STATUS_NO_SUCH_USER';
  if (s === 0xc000018b) return 'STATUS_NO_TRUST_SAM_ACCOUNT';
  if (s === 0xc00000bb) return 'STATUS_NOT_SUPPORTED';
  return `0x${s.toString(16).padStart(8, '0')}`;
}
