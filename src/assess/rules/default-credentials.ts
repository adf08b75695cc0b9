// default-credentials: an observed credential equals a known vendor default (DefaultCreds list,
// SNMP public/private), compared through keyed digests in observe.ts; the password is never
// written, only which products document the pair.
import { onPort } from '../fixes.js';
import type { Finding } from '../../report/model.js';
import { vendorKey } from '../../knowledge/names.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import { credentialGroups, protocolName } from './cleartext-credentials.js';

export function defaultCredentials(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const vk = d.vendor !== null ? vendorKey(d.vendor) : null;
    for (const [key, list] of credentialGroups(ctx, d, (c) => c.default !== null)) {
      const c0 = list[0];
      const users = [...new Set(list.map((c) => c.user))].filter((u) => u !== '').sort();
      const ownVendor = vk !== null && list.some((c) => c.default!.vendorKeys.includes(vk));
      const products = [...new Set(list.flatMap((c) => c.default!.products))].sort();
      const count = Math.max(...list.map((c) => c.default!.count));
      const accepted = list.some((c) => c.success === true);
      const whose = ownVendor ? `the documented default of this device's vendor (${d.vendor})` : c0.protocol === 'snmp' && products.length === 1 && count === 1 ? products[0] : `a published default (${listText(products, 4)}${count > products.length ? `; ${count} products in all` : ''})`;
      out.push(
        makeFinding('default-credentials', d, {
          key,
          title: `Default credentials: ${protocolName(c0.protocol)}${onPort(c0.server_port)}`,
          detail: `${c0.protocol === 'snmp' ? 'The SNMP community' : `The password of ${users.length > 0 ? `user${users.length > 1 ? 's' : ''} ${listText(users.map((u) => `"${u}"`), 4)}` : 'the login'}`} sent to port ${c0.server_port} is ${whose}${accepted ? ', and the server accepted it' : ''}. The value itself is not recorded.`,
          evidence: list.map((c) => ({ ...c.evidence, fact: 'default-credential' })),
          severity: accepted || c0.protocol === 'snmp' ? 'critical' : 'high',
        }),
      );
    }
  }
  return out;
}
