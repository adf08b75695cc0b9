// Kerberos V5 messages (RFC 4120 §5, ASN.1 DER): AS-REQ/TGS-REQ (KDC-REQ §5.4.1), AS-REP/TGS-REP
// (KDC-REP §5.4.2), AP-REQ (§5.5.1), AP-REP (§5.5.2) and KRB-ERROR (§5.9.1), plus the 4-octet
// record mark of Kerberos over TCP (§7.2.2) and the GSS-API krb5 token wrapper (RFC 4121 §4.1).
// Pure: bytes → the fields a monitor needs (names, realms, encryption types, times, options,
// error codes). Ciphertext is never decrypted; only its bounds are kept.
import { escapeBytes } from '../l2text.js';
import { CLASS_APPLICATION, CLASS_CONTEXT, CLASS_UNIVERSAL, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, readInt, readTlv, type Tlv } from '../ntlm/ber.js';

/** Application tags of the message types (RFC 4120 §5.10). */
export const KRB_AS_REQ = 10;
export const KRB_AS_REP = 11;
export const KRB_TGS_REQ = 12;
export const KRB_TGS_REP = 13;
export const KRB_AP_REQ = 14;
export const KRB_AP_REP = 15;
export const KRB_ERROR = 30;
/** [APPLICATION 1] Ticket (§5.3). */
const APP_TICKET = 1;
/** The only protocol version (pvno) Kerberos V5 has. */
export const KRB_PVNO = 5;

/** PA-DATA types (§7.5.2, RFC 6113): the TGS's authenticating AP-REQ and the encrypted timestamp. */
export const PA_TGS_REQ = 1;
export const PA_ENC_TIMESTAMP = 2;
/**
 * PA-DATA that pre-authenticates an AS request: the encrypted timestamp, PKINIT's (RFC 4556,
 * and its draft-9 form 14/15), FAST's armour (RFC 6113 §5.4) and the encrypted challenge.
 */
export const PREAUTH_PADATA: ReadonlySet<number> = new Set([PA_ENC_TIMESTAMP, 14, 15, 16, 136, 138]);

/** GeneralizedTime text is "YYYYMMDDHHMMSSZ" (§5.2.3), at most a little longer with fractions. */
const MAX_TIME_LEN = 32;
/** Principal names have a handful of components; more is garbage. */
const MAX_NAME_PARTS = 16;
/** Component, realm and e-text lengths kept (longer ones are cut). */
const MAX_TEXT = 256;
/** Encryption types and PA-DATA entries listed per message; more is garbage. */
const MAX_LIST = 64;
/** Record mark (TCP): the high bit is reserved and must be zero; messages beyond this are refused. */
export const MAX_TCP_MESSAGE = 1 << 20;

export interface Principal {
  nameType: number;
  /** The name's components joined with "/" (e.g. "krbtgt/EXAMPLE.ORG", "host/pc1.example.org"). */
  name: string;
}

export interface Ticket {
  realm: string;
  sname: Principal | null;
  /** Encryption type of the ticket's enc-part (the service key's type). */
  etype: number;
  /** Where the ticket's ciphertext lies (for ticket hashes). */
  cipherOff: number;
  cipherLen: number;
}

export interface KdcReq {
  kind: 'kdc_req';
  msgType: number;
  /** PA-DATA types present, in order. */
  padata: number[];
  /** AS-REQ pre-authentication by encrypted timestamp: its encryption type. */
  preauthEtype: number | null;
  /** TGS-REQ: the AP-REQ in PA-TGS-REQ (the ticket-granting ticket presented). */
  apReq: ApReq | null;
  forwardable: boolean;
  renewable: boolean;
  cname: Principal | null;
  realm: string;
  sname: Principal | null;
  /** Seconds since the epoch. */
  from: number | null;
  till: number | null;
  /** Encryption types the client accepts, in its order of preference. */
  etypes: number[];
  /** NetBIOS names in HostAddresses (a Windows client's own name). */
  netbiosNames: string[];
}

export interface KdcRep {
  kind: 'kdc_rep';
  msgType: number;
  crealm: string;
  cname: Principal | null;
  ticket: Ticket | null;
  /** Encryption type of the reply's enc-part (the client's key or the session key). */
  encEtype: number | null;
}

export interface ApReq {
  kind: 'ap_req';
  msgType: number;
  mutualRequired: boolean;
  ticket: Ticket | null;
  authEtype: number | null;
}

export interface ApRep {
  kind: 'ap_rep';
  msgType: number;
  encEtype: number | null;
}

export interface KrbErr {
  kind: 'error';
  msgType: number;
  errorCode: number;
  crealm: string | null;
  cname: Principal | null;
  realm: string;
  sname: Principal | null;
  eText: string | null;
  /** Server time (seconds since the epoch). */
  stime: number | null;
}

export type KrbMessage = KdcReq | KdcRep | ApReq | ApRep | KrbErr;
/** `not_krb`: the bytes are no Kerberos message at all; `bad`: one that is malformed. */
export type KrbStatus = 'not_krb' | 'bad';

/** True for the first octet of a Kerberos message ([APPLICATION n] constructed). */
export function isKrbTag(b: number): boolean {
  const t = b & 0x1f;
  return (b & 0xe0) === 0x60 && ((t >= KRB_AS_REQ && t <= KRB_AP_REP) || t === KRB_ERROR);
}

/** Parses one Kerberos message of `len` bytes at `off`. */
export function parseKrb(buf: Uint8Array, off: number, len: number): KrbMessage | KrbStatus {
  if (off < 0 || len < 2 || off + len > buf.length || !isKrbTag(buf[off])) return 'not_krb';
  const app = readTlv(buf, off, off + len);
  if (app === null || app.cls !== CLASS_APPLICATION || !app.constructed) return 'bad';
  const seq = readTlv(buf, app.off, app.end);
  if (seq === null || seq.cls !== CLASS_UNIVERSAL || seq.tag !== TAG_SEQUENCE) return 'bad';
  const f = fields(buf, seq);
  if (f === null) return 'bad';
  switch (app.tag) {
    case KRB_AS_REQ:
    case KRB_TGS_REQ:
      return kdcReq(buf, f, app.tag);
    case KRB_AS_REP:
    case KRB_TGS_REP:
      return kdcRep(buf, f, app.tag);
    case KRB_AP_REQ:
      return apReq(buf, f);
    case KRB_AP_REP:
      return apRep(buf, f);
    default:
      return krbError(buf, f);
  }
}

/**
 * A krb5 GSS-API token (SMB, LDAP, HTTP Negotiate): the InitialContextToken wrapper
 * [APPLICATION 0] { OID, TOK_ID (2 octets), message } or the bare message.
 */
export function parseKrbGssToken(buf: Uint8Array, off: number, len: number): KrbMessage | KrbStatus {
  if (off < 0 || len < 2 || off + len > buf.length) return 'not_krb';
  if (buf[off] !== 0x60) return parseKrb(buf, off, len);
  const outer = readTlv(buf, off, off + len);
  if (outer === null) return 'bad';
  const oid = readTlv(buf, outer.off, outer.end);
  if (oid === null || oid.tag !== TAG_OID) return 'bad';
  // TOK_ID: 01 00 AP-REQ, 02 00 AP-REP, 03 00 KRB-ERROR (RFC 4121 §4.1); 04 04/05 04 are
  // per-message tokens, not Kerberos messages.
  const p = oid.end + 2;
  if (p >= outer.end) return 'not_krb';
  return parseKrb(buf, p, outer.end - p);
}

/** Total length of the TCP record at `off` (mark + message); 0 need more; -1 not a record mark. */
export function krbRecordLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < 4) return 0;
  if (buf[off] & 0x80) return -1;
  const n = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
  if (n < 2 || n > MAX_TCP_MESSAGE) return -1;
  if (avail >= 5 && !isKrbTag(buf[off + 4])) return -1;
  return 4 + n;
}

// ---- helpers ------------------------------------------------------------------------------

/** The context-tagged fields [n] of a SEQUENCE, indexed by tag (absent ones null). */
type Fields = (Tlv | null)[];
const MAX_FIELD_TAG = 12;

function fields(buf: Uint8Array, seq: Tlv): Fields | null {
  const out: Fields = new Array<Tlv | null>(MAX_FIELD_TAG + 1).fill(null);
  let p = seq.off;
  let n = 0;
  while (p < seq.end) {
    const t = readTlv(buf, p, seq.end);
    if (t === null || ++n > 2 * MAX_FIELD_TAG) return null;
    p = t.end;
    if (t.cls !== CLASS_CONTEXT || t.tag > MAX_FIELD_TAG) continue;
    const inner = readTlv(buf, t.off, t.end);
    if (inner === null) return null;
    out[t.tag] = inner;
  }
  return out;
}

function int(buf: Uint8Array, t: Tlv | null): number | null {
  return t === null || t.tag !== TAG_INTEGER ? null : readInt(buf, t);
}

function text(buf: Uint8Array, t: Tlv | null): string | null {
  if (t === null) return null;
  // KerberosString is IA5 in practice (RFC 4120 §5.2.1); other octets are shown escaped.
  return escapeBytes(buf, t.off, Math.min(t.end, t.off + MAX_TEXT));
}

function principal(buf: Uint8Array, t: Tlv | null): Principal | null {
  if (t === null || t.tag !== TAG_SEQUENCE) return null;
  const f = fields(buf, t);
  if (f === null) return null;
  const nameType = int(buf, f[0]) ?? 0;
  const seq = f[1];
  if (seq === null || seq.tag !== TAG_SEQUENCE) return null;
  const parts: string[] = [];
  let p = seq.off;
  while (p < seq.end && parts.length < MAX_NAME_PARTS) {
    const s = readTlv(buf, p, seq.end);
    if (s === null) return null;
    p = s.end;
    parts.push(text(buf, s) ?? '');
  }
  return { nameType, name: parts.join('/') };
}

/** KerberosTime (GeneralizedTime "YYYYMMDDHHMMSS[.f]Z") → seconds since the epoch; null if malformed. */
export function kerberosTime(buf: Uint8Array, t: Tlv | null): number | null {
  if (t === null || t.len < 15 || t.len > MAX_TIME_LEN) return null;
  const d = (i: number, n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const c = buf[t.off + i + k] - 0x30;
      if (c < 0 || c > 9) return NaN;
      v = v * 10 + c;
    }
    return v;
  };
  const y = d(0, 4);
  const mo = d(4, 2);
  const da = d(6, 2);
  const h = d(8, 2);
  const mi = d(10, 2);
  const s = d(12, 2);
  if ([y, mo, da, h, mi, s].some(Number.isNaN) || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60) return null;
  if (buf[t.end - 1] !== 0x5a) return null; // 'Z': Kerberos times are UTC
  return Date.UTC(y, mo - 1, da, h, mi, s) / 1000;
}

function encEtype(buf: Uint8Array, t: Tlv | null): { etype: number | null; cipher: Tlv | null } {
  if (t === null || t.tag !== TAG_SEQUENCE) return { etype: null, cipher: null };
  const f = fields(buf, t);
  if (f === null) return { etype: null, cipher: null };
  const c = f[2];
  return { etype: int(buf, f[0]), cipher: c !== null && c.tag === TAG_OCTET_STRING ? c : null };
}

function ticket(buf: Uint8Array, t: Tlv | null): Ticket | null {
  if (t === null || t.cls !== CLASS_APPLICATION || t.tag !== APP_TICKET) return null;
  const seq = readTlv(buf, t.off, t.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return null;
  const f = fields(buf, seq);
  if (f === null) return null;
  const e = encEtype(buf, f[3]);
  return { realm: text(buf, f[1]) ?? '', sname: principal(buf, f[2]), etype: e.etype ?? -1, cipherOff: e.cipher?.off ?? 0, cipherLen: e.cipher?.len ?? 0 };
}

function intList(buf: Uint8Array, t: Tlv | null): number[] {
  const out: number[] = [];
  if (t === null || t.tag !== TAG_SEQUENCE) return out;
  let p = t.off;
  while (p < t.end && out.length < MAX_LIST) {
    const e = readTlv(buf, p, t.end);
    if (e === null) break;
    p = e.end;
    const v = int(buf, e);
    if (v !== null) out.push(v);
  }
  return out;
}

/** HostAddress addr-type 20: a NetBIOS name, 16 octets padded with spaces (RFC 4120 §7.5.3). */
const ADDR_NETBIOS = 20;

function netbiosNames(buf: Uint8Array, t: Tlv | null): string[] {
  const out: string[] = [];
  if (t === null || t.tag !== TAG_SEQUENCE) return out;
  let p = t.off;
  while (p < t.end && out.length < MAX_LIST) {
    const a = readTlv(buf, p, t.end);
    if (a === null || a.tag !== TAG_SEQUENCE) break;
    p = a.end;
    const f = fields(buf, a);
    if (f === null || int(buf, f[0]) !== ADDR_NETBIOS || f[1] === null) continue;
    const name = (text(buf, f[1]) ?? '').replace(/(\\x00|\s)+$/, '');
    if (name !== '') out.push(name);
  }
  return out;
}

/** Flags of a KerberosFlags BIT STRING (bit 0 = the most significant bit of the first octet) as a 32-bit number. */
function flags(buf: Uint8Array, t: Tlv | null): number {
  if (t === null || t.tag !== TAG_BIT_STRING || t.len < 2) return 0;
  let v = 0;
  for (let i = 0; i < 4; i++) v = (v << 8) | (t.off + 1 + i < t.end ? buf[t.off + 1 + i] : 0);
  return v >>> 0;
}

const bit = (v: number, n: number): boolean => ((v >>> (31 - n)) & 1) === 1;
/** KDCOptions bits (§5.4.1) and APOptions' mutual-required (§5.5.1). */
const KDC_FORWARDABLE = 1;
const KDC_RENEWABLE = 8;
const AP_MUTUAL_REQUIRED = 2;

function kdcReq(buf: Uint8Array, f: Fields, tag: number): KdcReq | KrbStatus {
  // KDC-REQ numbers its fields from 1: pvno [1], msg-type [2], padata [3], req-body [4].
  if (int(buf, f[1]) !== KRB_PVNO || int(buf, f[2]) !== tag) return 'bad';
  const bodyT = f[4];
  if (bodyT === null || bodyT.tag !== TAG_SEQUENCE) return 'bad';
  const b = fields(buf, bodyT);
  if (b === null) return 'bad';
  const padata: number[] = [];
  let preauthEtype: number | null = null;
  let ap: ApReq | null = null;
  const pa = f[3];
  if (pa !== null && pa.tag === TAG_SEQUENCE) {
    let p = pa.off;
    while (p < pa.end && padata.length < MAX_LIST) {
      const e = readTlv(buf, p, pa.end);
      if (e === null || e.tag !== TAG_SEQUENCE) break;
      p = e.end;
      const pf = fields(buf, e);
      if (pf === null) continue;
      const type = int(buf, pf[1]);
      if (type === null) continue;
      padata.push(type);
      const v = pf[2];
      if (v === null || v.tag !== TAG_OCTET_STRING) continue;
      if (type === PA_TGS_REQ) {
        const m = parseKrb(buf, v.off, v.len);
        if (typeof m !== 'string' && m.kind === 'ap_req') ap = m;
      } else if (type === PA_ENC_TIMESTAMP) {
        const ed = readTlv(buf, v.off, v.end);
        if (ed !== null) preauthEtype = encEtype(buf, ed).etype;
      }
    }
  }
  const opts = flags(buf, b[0]);
  return {
    kind: 'kdc_req',
    msgType: tag,
    padata,
    preauthEtype,
    apReq: ap,
    forwardable: bit(opts, KDC_FORWARDABLE),
    renewable: bit(opts, KDC_RENEWABLE),
    cname: principal(buf, b[1]),
    realm: text(buf, b[2]) ?? '',
    sname: principal(buf, b[3]),
    from: kerberosTime(buf, b[4]),
    till: kerberosTime(buf, b[5]),
    etypes: intList(buf, b[8]),
    netbiosNames: netbiosNames(buf, b[9]),
  };
}

function kdcRep(buf: Uint8Array, f: Fields, tag: number): KdcRep | KrbStatus {
  if (int(buf, f[0]) !== KRB_PVNO || int(buf, f[1]) !== tag) return 'bad';
  return { kind: 'kdc_rep', msgType: tag, crealm: text(buf, f[3]) ?? '', cname: principal(buf, f[4]), ticket: ticket(buf, f[5]), encEtype: encEtype(buf, f[6]).etype };
}

function apReq(buf: Uint8Array, f: Fields): ApReq | KrbStatus {
  if (int(buf, f[0]) !== KRB_PVNO || int(buf, f[1]) !== KRB_AP_REQ) return 'bad';
  return { kind: 'ap_req', msgType: KRB_AP_REQ, mutualRequired: bit(flags(buf, f[2]), AP_MUTUAL_REQUIRED), ticket: ticket(buf, f[3]), authEtype: encEtype(buf, f[4]).etype };
}

function apRep(buf: Uint8Array, f: Fields): ApRep | KrbStatus {
  if (int(buf, f[0]) !== KRB_PVNO || int(buf, f[1]) !== KRB_AP_REP) return 'bad';
  return { kind: 'ap_rep', msgType: KRB_AP_REP, encEtype: encEtype(buf, f[2]).etype };
}

function krbError(buf: Uint8Array, f: Fields): KrbErr | KrbStatus {
  if (int(buf, f[0]) !== KRB_PVNO || int(buf, f[1]) !== KRB_ERROR) return 'bad';
  const code = int(buf, f[6]);
  if (code === null) return 'bad';
  return {
    kind: 'error',
    msgType: KRB_ERROR,
    errorCode: code,
    crealm: text(buf, f[7]),
    cname: principal(buf, f[8]),
    realm: text(buf, f[9]) ?? '',
    sname: principal(buf, f[10]),
    eText: text(buf, f[11]),
    stime: kerberosTime(buf, f[4]),
  };
}
