// GSS-API security tokens as carried by SMB session setup, LDAP SASL binds, HTTP Negotiate and
// DCE-RPC auth verifiers: the InitialContextToken wrapper (RFC 2743 §3.1), SPNEGO
// NegTokenInit/NegTokenResp (RFC 4178 §4.2, MS-SPNG §2.2.1 NegTokenInit2) and raw NTLMSSP.
// Pure: finds the mechanism, the negotiation state and the inner token's bounds.
import { CLASS_APPLICATION, CLASS_CONTEXT, CLASS_UNIVERSAL, TAG_ENUMERATED, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, readInt, readOid, readTlv, type Tlv } from './ber.js';
import { isNtlmssp } from './parse.js';

export const OID_SPNEGO = '1.3.6.1.5.5.2';
export const OID_NTLMSSP = '1.3.6.1.4.1.311.2.2.10';
export const OID_KRB5 = '1.2.840.113554.1.2.2';
/** Microsoft's legacy (wrongly truncated) Kerberos OID, still offered by Windows. */
export const OID_MS_KRB5 = '1.2.840.48018.1.2.2';
export const OID_KRB5_U2U = '1.2.840.113554.1.2.2.3';

/** NegTokenResp negState values (RFC 4178 §4.2.2). */
export const NEG_ACCEPT_COMPLETED = 0;
export const NEG_ACCEPT_INCOMPLETE = 1;
export const NEG_REJECT = 2;
export const NEG_REQUEST_MIC = 3;

/** GSS InitialContextToken: [APPLICATION 0] (RFC 2743 §3.1). */
const GSS_INITIAL_CONTEXT = 0x60;
/** Kerberos AP-REQ / AP-REP application tags (RFC 4120 §5.5). */
const KRB_AP_REQ = 14;
const KRB_AP_REP = 15;
/** Mechanism lists are short; longer ones mean garbage. */
const MAX_MECHS = 32;

export type InnerMech = 'ntlm' | 'krb5' | 'unknown';

export interface GssToken {
  /** The outer form: raw NTLMSSP, SPNEGO, a bare Kerberos GSS token, or something else. */
  kind: 'ntlm' | 'spnego' | 'krb5' | 'unknown';
  /** SPNEGO: mechanisms the initiator offers (dotted OIDs). */
  mechTypes?: string[];
  /** SPNEGO NegTokenResp negState. */
  negState?: number;
  /** SPNEGO NegTokenResp supportedMech. */
  supportedMech?: string;
  /** The inner mechanism token, when there is one. */
  inner?: InnerMech;
  tokenOff?: number;
  tokenLen?: number;
}

function classify(buf: Uint8Array, off: number, len: number): InnerMech {
  if (isNtlmssp(buf, off, len)) return 'ntlm';
  const t = readTlv(buf, off, off + len);
  if (t === null) return 'unknown';
  if (t.cls === CLASS_APPLICATION && (t.tag === KRB_AP_REQ || t.tag === KRB_AP_REP)) return 'krb5';
  if (buf[off] === GSS_INITIAL_CONTEXT) {
    const o = readTlv(buf, t.off, t.end);
    if (o !== null && o.cls === CLASS_UNIVERSAL && o.tag === TAG_OID) {
      const oid = readOid(buf, o);
      if (oid === OID_KRB5 || oid === OID_MS_KRB5 || oid === OID_KRB5_U2U) return 'krb5';
      if (oid === OID_NTLMSSP) return 'ntlm';
    }
  }
  return 'unknown';
}

/** Parses a security token of `len` bytes at `off`; null when it is none of the known forms. */
export function parseGss(buf: Uint8Array, off: number, len: number): GssToken | null {
  if (off < 0 || len <= 0 || off + len > buf.length) return null;
  if (isNtlmssp(buf, off, len)) return { kind: 'ntlm', inner: 'ntlm', tokenOff: off, tokenLen: len };
  const end = off + len;
  const outer = readTlv(buf, off, end);
  if (outer === null) return null;
  if (outer.cls === CLASS_APPLICATION && outer.tag === 0 && outer.constructed) {
    const o = readTlv(buf, outer.off, outer.end);
    if (o === null || o.cls !== CLASS_UNIVERSAL || o.tag !== TAG_OID) return null;
    const oid = readOid(buf, o);
    if (oid === OID_SPNEGO) {
      const nt = readTlv(buf, o.end, outer.end);
      return nt === null ? { kind: 'spnego' } : negotiationToken(buf, nt);
    }
    if (oid === OID_KRB5 || oid === OID_MS_KRB5 || oid === OID_KRB5_U2U) return { kind: 'krb5', inner: 'krb5', tokenOff: off, tokenLen: len };
    if (oid === OID_NTLMSSP && isNtlmssp(buf, o.end, outer.end - o.end)) {
      return { kind: 'ntlm', inner: 'ntlm', tokenOff: o.end, tokenLen: outer.end - o.end };
    }
    return { kind: 'unknown' };
  }
  // Continuation tokens are bare NegTokenResp (or, rarely, NegTokenInit) without the wrapper.
  if (outer.cls === CLASS_CONTEXT && (outer.tag === 0 || outer.tag === 1)) return negotiationToken(buf, outer);
  if (outer.cls === CLASS_APPLICATION && (outer.tag === KRB_AP_REQ || outer.tag === KRB_AP_REP)) return { kind: 'krb5', inner: 'krb5', tokenOff: off, tokenLen: len };
  return null;
}

/** NegotiationToken ::= CHOICE { negTokenInit [0], negTokenResp [1] }. */
function negotiationToken(buf: Uint8Array, nt: Tlv): GssToken {
  const out: GssToken = { kind: 'spnego' };
  if (nt.cls !== CLASS_CONTEXT || (nt.tag !== 0 && nt.tag !== 1)) return out;
  const seq = readTlv(buf, nt.off, nt.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return out;
  const init = nt.tag === 0;
  let p = seq.off;
  while (p < seq.end) {
    const f = readTlv(buf, p, seq.end);
    if (f === null) break;
    p = f.end;
    if (f.cls !== CLASS_CONTEXT) continue;
    const v = readTlv(buf, f.off, f.end);
    if (v === null) continue;
    if (init && f.tag === 0 && v.tag === TAG_SEQUENCE) {
      const mechs: string[] = [];
      let q = v.off;
      while (q < v.end && mechs.length < MAX_MECHS) {
        const m = readTlv(buf, q, v.end);
        if (m === null) break;
        q = m.end;
        if (m.tag === TAG_OID) mechs.push(readOid(buf, m));
      }
      out.mechTypes = mechs;
    } else if (!init && f.tag === 0 && v.tag === TAG_ENUMERATED) {
      const s = readInt(buf, v);
      if (s !== null) out.negState = s;
    } else if (!init && f.tag === 1 && v.tag === TAG_OID) {
      out.supportedMech = readOid(buf, v);
    } else if (f.tag === 2 && v.tag === TAG_OCTET_STRING && v.len > 0) {
      out.tokenOff = v.off;
      out.tokenLen = v.len;
      out.inner = classify(buf, v.off, v.len);
    }
  }
  return out;
}
