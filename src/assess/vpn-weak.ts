// What makes a VPN negotiation weak. PPTP always is (below). An IKE negotiation is judged from
// ike.log's fields by RFC 8247 (IKEv2 algorithm requirements) and NIST SP 800-77r1 (Guide to
// IPsec VPNs): IKEv1 Aggressive Mode with a pre-shared key sends the responder's hash of that key
// in clear, so whoever captures it can test passwords offline (CERT VU#886601; ike-scan's
// psk-crack); IKEv1 itself is deprecated (RFC 9395); DES, 3DES (64-bit blocks) and NULL
// encryption, MD5 and SHA-1 integrity and PRFs, and Diffie-Hellman groups under 2048 bits (1, 2,
// 5, 22–24) and ECP_192 no longer protect a tunnel.

/**
 * PPTP has no setting that makes it safe: its MS-CHAPv2 handshake reduces to one DES key search,
 * which recovers the password hash and so the MPPE session (Marlinspike and Hulton, 2012;
 * Microsoft Security Advisory 2743314).
 */
export const PPTP_WEAKNESS: WeakSettings = {
  reasons: ['PPTP (its MS-CHAPv2 login falls to one DES key search, and with it the MPPE encryption)'],
  severe: true,
};

export interface WeakSettings {
  /** Each reason in words, strongest first. */
  reasons: string[];
  /** A reason that alone makes the finding high: the tunnel's keys or its PSK can be recovered. */
  severe: boolean;
}

const WEAK_ENCR: Record<string, boolean> = { NULL: true, DES_CBC: true, DES_IV64: true, '3DES_CBC': false, BLOWFISH_CBC: false, CAST_CBC: false, IDEA_CBC: false, RC5_CBC: false };
const MD5 = /MD5/;
const SHA1 = /(^|_)SHA1(_|$)/;
const WEAK_DH: Record<number, boolean> = { 1: true, 2: false, 5: false, 22: false, 23: false, 24: false, 25: false };
const DH_NAMES: Record<number, string> = { 1: 'MODP_768', 2: 'MODP_1024', 5: 'MODP_1536', 22: 'MODP_1024_160', 23: 'MODP_2048_224', 24: 'MODP_2048_256', 25: 'ECP_192' };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The weaknesses of one ike.session event, or null when it has none. */
export function ikeWeakness(ev: Record<string, unknown>): WeakSettings | null {
  const reasons: string[] = [];
  let severe = false;
  const v1 = ev.version === '1.0';
  const auth = typeof ev.auth_method === 'string' ? ev.auth_method : '';
  if (v1 && ev.aggressive === true && /PSK/.test(auth)) {
    reasons.push('IKEv1 Aggressive Mode with a pre-shared key (its hash crosses in clear and can be cracked offline)');
    severe = true;
  } else if (v1) reasons.push('IKEv1, deprecated (RFC 9395)');
  for (const e of strings(ev.encryption)) {
    const bad = WEAK_ENCR[e.replace(/_\d+$/, '')];
    if (bad === undefined) continue;
    reasons.push(`encryption ${e}`);
    if (bad) severe = true;
  }
  for (const i of strings(ev.integrity)) {
    if (MD5.test(i)) {
      reasons.push(`integrity ${i} (MD5)`);
      severe = true;
    } else if (SHA1.test(i)) reasons.push(`integrity ${i} (SHA-1)`);
  }
  for (const g of Array.isArray(ev.dh_groups) ? (ev.dh_groups as unknown[]) : []) {
    if (typeof g !== 'number' || WEAK_DH[g] === undefined) continue;
    reasons.push(`Diffie-Hellman group ${g} (${DH_NAMES[g]})`);
    if (WEAK_DH[g]) severe = true;
  }
  return reasons.length === 0 ? null : { reasons, severe };
}
