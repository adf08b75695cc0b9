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

import { Ndr } from './ndr.js';

export const STATUS_SUCCESS = 0;
export const STATUS_ACCESS_DENIED = 0xc0000022;

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
