// EAPOL parser (IEEE 802.1X-2010 §11, ethertype 0x888e) and the EAP packet it carries (RFC 3748
// §4): EAPOL version, packet type and body length; EAP code, identifier, length and, in requests
// and responses, the method type and what it shows in clear: a Response/Identity's identity
// (RFC 3748 §5.1), a Nak's desired methods (§5.3), LEAP's user name, the TLS-based methods' flags
// (start, more fragments; RFC 5216 §3.1). EAP-MD5's and LEAP's challenge responses are
// credential material (an offline dictionary attack recovers the password): only their presence
// is told, never their value. Pure; damage in `problems`.
import { printable } from '../l2text.js';

const EAPOL_HEADER = 4;
const EAP_HEADER = 4;
const MAX_IDENTITY = 253;
const MAX_NAK_TYPES = 16;

export const EAPOL_TYPES: Record<number, string> = { 0: 'eap', 1: 'start', 2: 'logoff', 3: 'key', 4: 'asf-alert', 5: 'mka', 6: 'announcement-generic', 7: 'announcement-specific', 8: 'announcement-req' };
const EAP_CODES: Record<number, string> = { 1: 'request', 2: 'response', 3: 'success', 4: 'failure', 5: 'initiate', 6: 'finish' };
/** IANA EAP method types. */
export const EAP_TYPES: Record<number, string> = {
  1: 'identity', 2: 'notification', 3: 'nak', 4: 'md5', 5: 'otp', 6: 'gtc', 13: 'tls', 17: 'leap', 18: 'sim', 21: 'ttls', 23: 'aka', 25: 'peap', 26: 'mschapv2', 29: 'mschapv2-old', 43: 'fast', 47: 'psk', 48: 'sake', 49: 'ikev2', 50: "aka'", 51: 'gpsk', 52: 'pwd', 53: 'eke', 55: 'teap', 254: 'expanded', 255: 'experimental',
};
const TLS_METHODS = new Set([13, 21, 25, 43, 55]);
const EAP_LEAP = 17;
const EAP_MD5 = 4;

export interface EapolInfo {
  eapol_version: number;
  eapol_type: string;
  eap_code?: string;
  eap_id?: number;
  eap_type?: string;
  identity?: string;
  /** A Nak's desired methods. */
  nak_types?: string[];
  /** EAP-MD5 or LEAP: a challenge or response value was carried (its value is never kept). */
  challenge_value?: boolean;
  /** LEAP's user name. */
  leap_user?: string;
  /** TLS-based methods: the Start flag, and whether more fragments follow. */
  tls_start?: boolean;
  tls_more?: boolean;
  /** TLS-based methods: where the method's data (flags octet first) lies in the frame, and ends. */
  tlsAt?: number;
  tlsEnd?: number;
  problems: string[];
}

const named = (t: Record<number, string>, v: number): string => t[v] ?? String(v);

export function parseEapol(buf: Uint8Array, off: number, len: number): EapolInfo | 'bad' {
  if (len < EAPOL_HEADER) return 'bad';
  const version = buf[off];
  if (version < 1 || version > 3) return 'bad';
  const type = buf[off + 1];
  const bodyLen = (buf[off + 2] << 8) | buf[off + 3];
  const out: EapolInfo = { eapol_version: version, eapol_type: named(EAPOL_TYPES, type), problems: [] };
  if (type !== 0) return out;
  const p = off + EAPOL_HEADER;
  const avail = Math.min(len - EAPOL_HEADER, bodyLen);
  if (bodyLen > len - EAPOL_HEADER) out.problems.push('truncated');
  if (avail < EAP_HEADER) {
    out.problems.push('short_eap');
    return out;
  }
  const code = buf[p];
  out.eap_code = named(EAP_CODES, code);
  out.eap_id = buf[p + 1];
  const eapLen = (buf[p + 2] << 8) | buf[p + 3];
  if (eapLen < EAP_HEADER || eapLen > avail) {
    if (eapLen < EAP_HEADER) {
      out.problems.push('bad_eap_length');
      return out;
    }
    out.problems.push('truncated_eap');
  }
  const end = p + Math.min(eapLen, avail);
  if ((code !== 1 && code !== 2) || end - p < EAP_HEADER + 1) return out;
  const t = buf[p + 4];
  out.eap_type = named(EAP_TYPES, t);
  const d = p + 5;
  if (t === 1) {
    // Response: the peer's identity; Request: an optional displayable message (RFC 3748 §5.1).
    if (code === 2) {
      let e = d;
      while (e < end && buf[e] !== 0) e++;
      out.identity = printable(buf, d, e, MAX_IDENTITY);
    }
  } else if (t === 3 && code === 2) {
    const types: string[] = [];
    for (let i = d; i < end && types.length < MAX_NAK_TYPES; i++) types.push(named(EAP_TYPES, buf[i]));
    out.nak_types = types;
  } else if (t === EAP_MD5) {
    // Value-Size, Value, Name (RFC 3748 §5.4).
    if (end - d >= 1 && buf[d] > 0 && end - d >= 1 + buf[d]) out.challenge_value = true;
  } else if (t === EAP_LEAP) {
    // Version, reserved, count, the challenge or response, then the user name.
    if (end - d >= 3) {
      const n = buf[d + 2];
      if (n > 0 && end - d >= 3 + n) {
        out.challenge_value = true;
        if (end > d + 3 + n) out.leap_user = printable(buf, d + 3 + n, end, MAX_IDENTITY);
      }
    }
  } else if (TLS_METHODS.has(t) && end - d >= 1) {
    out.tls_start = (buf[d] & 0x20) !== 0;
    out.tls_more = (buf[d] & 0x40) !== 0;
    out.tlsAt = d;
    out.tlsEnd = end;
  }
  return out;
}
