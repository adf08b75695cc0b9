// NTLM authentication messages (MS-NLMP §2.2.1): NEGOTIATE, CHALLENGE and AUTHENTICATE, the
// VERSION structure (§2.2.2.10) and the CHALLENGE's target-info AV pairs (§2.2.2.1). Pure:
// bytes in, fields or a status out. Fields whose buffer points outside the message are left
// out rather than failing the message (captures are often cut short).

export const NTLM_NEGOTIATE = 1;
export const NTLM_CHALLENGE = 2;
export const NTLM_AUTHENTICATE = 3;

/** "NTLMSSP\0" */
const SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];
const SIGNATURE_LEN = 8;

// NegotiateFlags bits (§2.2.2.5).
export const NEGOTIATE_UNICODE = 0x00000001;
export const NEGOTIATE_OEM_DOMAIN_SUPPLIED = 0x00001000;
export const NEGOTIATE_OEM_WORKSTATION_SUPPLIED = 0x00002000;
export const NEGOTIATE_ANONYMOUS = 0x00000800;
export const NEGOTIATE_VERSION = 0x02000000;

// Fixed-part sizes and field offsets of each message type.
const NEG_DOMAIN = 16;
const NEG_WORKSTATION = 24;
const NEG_VERSION = 32;
const CHAL_TARGET_NAME = 12;
const CHAL_FLAGS = 20;
const CHAL_TARGET_INFO = 40;
const CHAL_VERSION = 48;
const AUTH_LM = 12;
const AUTH_NT = 20;
const AUTH_DOMAIN = 28;
const AUTH_USER = 36;
const AUTH_WORKSTATION = 44;
const AUTH_SESSION_KEY = 52;
const AUTH_FLAGS = 60;
const AUTH_VERSION = 64;
const VERSION_LEN = 8;
/** An NTLMv1 response is exactly 24 bytes; NTLMv2 responses are longer (§3.3). */
const NTLMV1_RESPONSE_LEN = 24;

// AV pair ids (§2.2.2.1).
const AV_EOL = 0;
const AV_NB_COMPUTER = 1;
const AV_NB_DOMAIN = 2;
const AV_DNS_COMPUTER = 3;
const AV_DNS_DOMAIN = 4;
const AV_DNS_TREE = 5;
const AV_TIMESTAMP = 7;
/** AV lists are short; more pairs than this mean garbage. */
const MAX_AV_PAIRS = 64;
/** Names longer than this are cut (NetBIOS names are 15, DNS names 255 characters). */
const MAX_NAME_BYTES = 1024;

export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  revision: number;
}

export interface NtlmNegotiate {
  type: 1;
  flags: number;
  domain?: string;
  workstation?: string;
  version?: NtlmVersion;
}

export interface NtlmChallenge {
  type: 2;
  flags: number;
  targetName?: string;
  nbComputerName?: string;
  nbDomainName?: string;
  dnsComputerName?: string;
  dnsDomainName?: string;
  dnsTreeName?: string;
  /** MsvAvTimestamp as a FILETIME (100 ns since 1601), when present. */
  timestamp?: bigint;
  version?: NtlmVersion;
}

export interface NtlmAuthenticate {
  type: 3;
  flags: number;
  domain?: string;
  user?: string;
  workstation?: string;
  version?: NtlmVersion;
  lmResponseLen: number;
  ntResponseLen: number;
  /** NTLMv1 (24-byte NT response): weak, crackable. */
  ntlmV1: boolean;
  /** No user and no NT response: an anonymous logon (§3.2.5.1.2). */
  anonymous: boolean;
  /** EncryptedRandomSessionKey (a view into the input; never logged). */
  sessionKey?: Uint8Array;
}

export type NtlmMessage = NtlmNegotiate | NtlmChallenge | NtlmAuthenticate;
export type NtlmStatus = 'not_ntlm' | 'truncated' | 'unknown_type';

/** True when the bytes start with the NTLMSSP signature. */
export function isNtlmssp(buf: Uint8Array, off: number, len: number): boolean {
  if (len < SIGNATURE_LEN || off + SIGNATURE_LEN > buf.length) return false;
  for (let i = 0; i < SIGNATURE_LEN; i++) if (buf[off + i] !== SIGNATURE[i]) return false;
  return true;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** A (Len, MaxLen, Offset) field descriptor's bytes, or null if it points outside the message. */
function field(b: Uint8Array, msg: number, msgLen: number, at: number): [number, number] | null {
  if (at + 8 > msgLen) return null;
  const len = u16(b, msg + at);
  const off = u32(b, msg + at + 4);
  if (len === 0 || off + len > msgLen) return null;
  return [msg + off, len];
}

function text(b: Uint8Array, off: number, len: number, unicode: boolean): string {
  const n = Math.min(len, MAX_NAME_BYTES) & (unicode ? ~1 : ~0);
  return Buffer.from(b.buffer, b.byteOffset + off, n).toString(unicode ? 'utf16le' : 'latin1');
}

function str(b: Uint8Array, msg: number, msgLen: number, at: number, unicode: boolean): string | undefined {
  const f = field(b, msg, msgLen, at);
  return f === null ? undefined : text(b, f[0], f[1], unicode);
}

/**
 * The VERSION structure at `at`, when the flags announce one and no payload field starts
 * inside it (older clients set the flag but put payload there).
 */
function version(b: Uint8Array, msg: number, msgLen: number, flags: number, at: number, fieldsAt: number[]): NtlmVersion | undefined {
  if ((flags & NEGOTIATE_VERSION) === 0 || at + VERSION_LEN > msgLen) return undefined;
  for (const f of fieldsAt) {
    if (f + 8 > msgLen) continue;
    const len = u16(b, msg + f);
    const off = u32(b, msg + f + 4);
    if (len > 0 && off < at + VERSION_LEN) return undefined;
  }
  const o = msg + at;
  return { major: b[o], minor: b[o + 1], build: u16(b, o + 2), revision: b[o + 7] };
}

/** "10.0.19041": the form Windows and Arkime print. */
export function formatVersion(v: NtlmVersion): string {
  return `${v.major}.${v.minor}.${v.build}`;
}

/** Parses one NTLM message occupying `len` bytes at `off`. Never reads past `off + len`. */
export function parseNtlm(buf: Uint8Array, off: number, len: number): NtlmMessage | NtlmStatus {
  if (off < 0 || len < 0 || off + len > buf.length) return 'truncated';
  if (!isNtlmssp(buf, off, len)) return len < SIGNATURE_LEN ? 'truncated' : 'not_ntlm';
  if (len < 12) return 'truncated';
  const type = u32(buf, off + 8);
  if (type === NTLM_NEGOTIATE) {
    if (len < 16) return 'truncated';
    const flags = u32(buf, off + 12);
    const m: NtlmNegotiate = { type: 1, flags };
    // NEGOTIATE names are always OEM (§2.2.1.1).
    if (flags & NEGOTIATE_OEM_DOMAIN_SUPPLIED) m.domain = str(buf, off, len, NEG_DOMAIN, false);
    if (flags & NEGOTIATE_OEM_WORKSTATION_SUPPLIED) m.workstation = str(buf, off, len, NEG_WORKSTATION, false);
    const v = version(buf, off, len, flags, NEG_VERSION, [NEG_DOMAIN, NEG_WORKSTATION]);
    if (v !== undefined) m.version = v;
    return m;
  }
  if (type === NTLM_CHALLENGE) {
    if (len < CHAL_FLAGS + 4) return 'truncated';
    const flags = u32(buf, off + CHAL_FLAGS);
    const unicode = (flags & NEGOTIATE_UNICODE) !== 0;
    const m: NtlmChallenge = { type: 2, flags };
    const tn = str(buf, off, len, CHAL_TARGET_NAME, unicode);
    if (tn !== undefined) m.targetName = tn;
    const ti = field(buf, off, len, CHAL_TARGET_INFO);
    if (ti !== null) readAvPairs(buf, ti[0], ti[1], m);
    const v = version(buf, off, len, flags, CHAL_VERSION, [CHAL_TARGET_NAME, CHAL_TARGET_INFO]);
    if (v !== undefined) m.version = v;
    return m;
  }
  if (type === NTLM_AUTHENTICATE) {
    if (len < AUTH_FLAGS + 4) return 'truncated';
    const flags = u32(buf, off + AUTH_FLAGS);
    const unicode = (flags & NEGOTIATE_UNICODE) !== 0;
    const lmLen = u16(buf, off + AUTH_LM);
    const ntLen = u16(buf, off + AUTH_NT);
    const m: NtlmAuthenticate = {
      type: 3,
      flags,
      lmResponseLen: lmLen,
      ntResponseLen: ntLen,
      ntlmV1: ntLen === NTLMV1_RESPONSE_LEN,
      anonymous: false,
    };
    const d = str(buf, off, len, AUTH_DOMAIN, unicode);
    if (d !== undefined) m.domain = d;
    const u = str(buf, off, len, AUTH_USER, unicode);
    if (u !== undefined) m.user = u;
    const w = str(buf, off, len, AUTH_WORKSTATION, unicode);
    if (w !== undefined) m.workstation = w;
    const sk = field(buf, off, len, AUTH_SESSION_KEY);
    if (sk !== null) m.sessionKey = buf.subarray(sk[0], sk[0] + sk[1]);
    m.anonymous = (u === undefined || u === '') && ntLen === 0;
    const v = version(buf, off, len, flags, AUTH_VERSION, [AUTH_LM, AUTH_NT, AUTH_DOMAIN, AUTH_USER, AUTH_WORKSTATION, AUTH_SESSION_KEY]);
    if (v !== undefined) m.version = v;
    return m;
  }
  return 'unknown_type';
}

/** Fills the CHALLENGE's names from its target-info AV pairs (values are always UTF-16LE). */
function readAvPairs(b: Uint8Array, off: number, len: number, m: NtlmChallenge): void {
  const end = off + len;
  let p = off;
  for (let n = 0; n < MAX_AV_PAIRS && p + 4 <= end; n++) {
    const id = u16(b, p);
    const l = u16(b, p + 2);
    p += 4;
    if (id === AV_EOL || p + l > end) return;
    switch (id) {
      case AV_NB_COMPUTER:
        m.nbComputerName = text(b, p, l, true);
        break;
      case AV_NB_DOMAIN:
        m.nbDomainName = text(b, p, l, true);
        break;
      case AV_DNS_COMPUTER:
        m.dnsComputerName = text(b, p, l, true);
        break;
      case AV_DNS_DOMAIN:
        m.dnsDomainName = text(b, p, l, true);
        break;
      case AV_DNS_TREE:
        m.dnsTreeName = text(b, p, l, true);
        break;
      case AV_TIMESTAMP:
        if (l === 8) m.timestamp = BigInt(u32(b, p)) | (BigInt(u32(b, p + 4)) << 32n);
        break;
    }
    p += l;
  }
}
