// weak-kerberos: Kerberos with the encryption types RFC 6649 (single DES) and RFC 8429 (RC4-HMAC)
// deprecate. On a KDC that issued such tickets: an RC4 service ticket is encrypted with the
// service account's NT hash, so whoever requests it can crack the password offline
// (Kerberoasting, ATT&CK T1558.003); DES keys fall to brute force outright. On a service that
// was presented such tickets (an AP-REQ inside SMB, HTTP, LDAP …): its account has no AES key, so
// any domain user can ask for a crackable ticket to it. On a client that offered nothing
// stronger: it cannot use AES, so the domain must keep RC4 (or DES) for it. On a KDC that answered
// AS requests without pre-authentication: anyone can ask for those accounts' AS-REPs and crack
// the part encrypted with their keys (AS-REP roasting, T1558.004).
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { KerberosWeakness } from '../observe.js';

const DES = /^des-/;
/** The risks table's remediation speaks of encryption types; accounts without pre-authentication need their own. */
const PREAUTH_FIX = 'Require Kerberos pre-authentication on these accounts (Active Directory: clear "Do not require Kerberos preauthentication" in the account\'s options; MIT: kadmin modprinc +requires_preauth) and give them long random passwords; an account that must keep it off (a legacy device) needs a password no dictionary holds.';

/** The distinct values of a field over a role's observations, sorted. */
function distinct(list: readonly KerberosWeakness[], of: (w: KerberosWeakness) => string[]): string[] {
  return [...new Set(list.flatMap(of))].sort();
}

export function weakKerberos(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const by = new Map<KerberosWeakness['role'], KerberosWeakness[]>();
    for (const h of ctx.hostsOf(d)) for (const w of h.kerberos.values()) (by.get(w.role) ?? by.set(w.role, []).get(w.role)!).push(w);
    const noPreauth = by.get('no-preauth');
    if (noPreauth !== undefined) {
      const accounts = distinct(noPreauth, (w) => w.services);
      out.push(
        makeFinding('weak-kerberos', d, {
          key: 'no-preauth',
          title: 'Kerberos accounts without pre-authentication',
          detail: `The KDC answered AS requests that carried no pre-authentication${accounts.length > 0 ? ` for ${listText(accounts, 5)}` : ''}: anyone on the network can ask for such an account's AS-REP and crack its password offline (AS-REP roasting).`,
          evidence: noPreauth.map((w) => w.evidence),
          severity: 'high',
          remediation: PREAUTH_FIX,
        }),
      );
    }
    const service = by.get('service');
    if (service !== undefined) {
      const ciphers = distinct(service, (w) => [w.cipher]);
      const names = distinct(service, (w) => w.services);
      out.push(
        makeFinding('weak-kerberos', d, {
          key: 'service',
          title: `Kerberos service tickets under ${ciphers.join(' and ')}`,
          detail: `Clients presented tickets${names.length > 0 ? ` for ${listText(names, 5)}` : ''} encrypted with ${listText(ciphers, 3)}: the service's account has no AES key (or the KDC prefers RC4), so any domain user can request a ticket to it and crack the account's password offline (Kerberoasting).`,
          evidence: service.map((w) => w.evidence),
          severity: ciphers.some((c) => DES.test(c)) ? 'high' : undefined,
        }),
      );
    }
    const kdc = by.get('kdc');
    if (kdc !== undefined) {
      const ciphers = distinct(kdc, (w) => [w.cipher]);
      const services = distinct(kdc, (w) => w.services);
      const n = kdc.reduce((a, w) => a + w.count, 0);
      out.push(
        makeFinding('weak-kerberos', d, {
          key: 'kdc',
          title: `Kerberos tickets issued under ${ciphers.join(' and ')}`,
          detail: `The KDC issued ${n} ticket${n > 1 ? 's' : ''} encrypted with ${listText(ciphers, 3)}${services.length > 0 ? `, for ${listText(services, 5)}` : ''}: such a ticket is encrypted with the account's password hash and can be cracked offline by whoever requested it (Kerberoasting).`,
          evidence: kdc.map((w) => w.evidence),
          severity: ciphers.some((c) => DES.test(c)) ? 'high' : undefined,
        }),
      );
    }
    const client = by.get('client');
    if (client !== undefined) {
      const offered = distinct(client, (w) => [w.cipher]);
      out.push(
        makeFinding('weak-kerberos', d, {
          key: 'client',
          title: 'Kerberos client without AES',
          detail: `The device offered only ${listText(offered, 3)} when asking for tickets: it cannot use AES, so the domain has to keep the weak types enabled for it.`,
          evidence: client.map((w) => w.evidence),
          severity: offered.some((c) => DES.test(c)) ? 'high' : undefined,
        }),
      );
    }
  }
  return out;
}
