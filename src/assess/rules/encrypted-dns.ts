// encrypted-dns: a site device resolves names through an outside resolver over an encrypted
// channel — DNS over TLS, over HTTPS, over QUIC, or DNSCrypt (src/knowledge/encrypted-dns.ts
// says how each is recognised). Its lookups pass around the site's resolvers: they are not
// logged, the site's filtering of malicious domains (CIS Controls 9.2) does not apply, and the
// security team cannot see what the device looks up. Browsers and phones do it by default unless
// policy turns it off; on a medical, IoT or server device nothing sanctioned does, and malware
// uses it to hide its lookups and command channel (ATT&CK T1071.004, T1572). Finding on the
// client; medium, high on a medical, IoT, server or PACS device. A site's own resolver, however
// reached, is not a way around it and gives no finding.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { EncryptedDnsObs } from '../observe.js';
import { isMedical } from '../segments.js';

export function encryptedDns(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs: EncryptedDnsObs[] = [];
    for (const h of ctx.hostsOf(d)) for (const o of h.encryptedDns.values()) obs.push(o);
    if (obs.length === 0) continue;
    obs.sort((a, b) => (a.evidence.ts !== b.evidence.ts ? a.evidence.ts - b.evidence.ts : a.evidence.packet - b.evidence.packet));
    const protocols = [...new Set(obs.map((o) => o.protocol))].sort();
    const resolvers = [...new Set(obs.map((o) => o.resolver))].sort();
    const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
    const high = sensitive || d.category === 'server' || d.category === 'pacs';
    const signs = obs.slice(0, 3).map((o) => o.what);
    out.push(
      makeFinding('encrypted-dns', d, {
        key: 'encrypted-dns',
        title: `Encrypted DNS around the site's resolvers (${protocols.join(', ')})`,
        detail: `The device resolves names through ${resolvers.length === 1 ? 'an outside resolver' : `${resolvers.length} outside resolvers`} (${listText(resolvers, 4)}) using ${listText(protocols, 4)}: ${signs.join('; ')}${obs.length > signs.length ? '; …' : ''}. Its lookups bypass the site's DNS servers, so they are neither logged nor filtered and the security team cannot see which domains it resolves${sensitive ? '; a medical or IoT device has no sanctioned reason to do so, which suggests unmanaged software or malware hiding its lookups' : high ? '; a server should use the site\'s resolvers' : ''}.`,
        evidence: obs.map((o) => o.evidence),
        severity: high ? 'high' : undefined,
      }),
    );
  }
  return out;
}
