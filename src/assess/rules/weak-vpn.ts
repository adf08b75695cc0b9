// weak-vpn: a VPN negotiated with settings that no longer protect it — PPTP at all; IPsec (IKE)
// with IKEv1 Aggressive Mode and a pre-shared key, IKEv1 at all, DES/3DES/NULL encryption, MD5 or
// SHA-1 integrity, Diffie-Hellman groups under 2048 bits (src/assess/vpn-weak.ts says why each).
// On both ends: the initiator whose configuration offered them and the responder that accepted.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { VpnWeakness } from '../observe.js';

export function weakVpn(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const list: VpnWeakness[] = [];
    for (const h of ctx.hostsOf(d)) for (const w of h.vpn.values()) list.push(w);
    if (list.length === 0) continue;
    // The negotiations that give the tunnel away (an offline-crackable PSK, DES, MD5) first.
    const reasons = [...new Set([...list.filter((w) => w.severe), ...list.filter((w) => !w.severe)].flatMap((w) => w.reasons))];
    const peers = [...new Set(list.map((w) => w.peer))].sort();
    const roles = new Set(list.map((w) => w.role));
    const role = roles.size === 2 ? 'negotiated' : roles.has('initiator') ? 'proposed' : 'accepted';
    out.push(
      makeFinding('weak-vpn', d, {
        key: 'vpn',
        title: 'Weak VPN settings',
        detail: `The device ${role} a VPN with ${listText(reasons, 6)} (with ${listText(peers, 4)}): whoever records the exchange can break or impersonate the tunnel more easily than its settings suggest.`,
        evidence: list.map((w) => w.evidence),
        severity: list.some((w) => w.severe) ? 'high' : undefined,
      }),
    );
  }
  return out;
}
