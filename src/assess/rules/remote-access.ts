// remote-access: the device runs a remote-access or remote-support tool (TeamViewer, AnyDesk,
// ScreenConnect …): its client reached the tool's service or presented the tool's certificate;
// or it opened a VPN tunnel (OpenVPN, WireGuard, IPsec), which lets another network in past the
// firewall (not on network gear, whose job that is).
// Such tools open a way in that bypasses the hospital's own remote-access controls; on a medical
// or IoT device (a vendor's support channel to a modality or a pump) the finding is high.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import { TOR, TOR_MEANING, TUNNEL_PRODUCTS } from '../../knowledge/remote-access.js';
import type { RemoteAccessObs } from '../observe.js';
import { isMedical } from '../segments.js';

/** A tunnel is closed at the firewall, not uninstalled from an allow-list. */
const TUNNEL_REMEDIATION =
  "Confirm the tunnel is sanctioned; if not, block it at the site's edge (OpenVPN: UDP/TCP 1194 and, by application-aware rules, 443; WireGuard: UDP 51820; IPsec: UDP 500 and 4500 and ESP, IP protocol 50; PPTP: TCP 1723 and GRE, IP protocol 47) and remove its configuration from the device. Give vendors remote access through the hospital's managed gateway (VPN or jump host with MFA, per-session approval and recording) instead; where a vendor tunnel must stay, terminate it on a firewall that allows only the flows the device needs (wardline policy writes those rules from the observed traffic).";

const TOR_REMEDIATION =
  "Find the Tor client on the device and what runs it (a browser bundle, a service, malware: ransomware and remote-access trojans ship Tor for their command channel) and remove it; if nothing sanctioned explains it, treat the device as compromised. Block Tor at the edge: deny outbound connections to the published relay list (the directory authorities' consensus, refreshed daily) and use an application-aware firewall rule for Tor; default-deny outbound for devices that need no Internet (wardline policy writes the allowed flows from the observed traffic).";

export function remoteAccess(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byProduct = new Map<string, RemoteAccessObs[]>();
    for (const h of ctx.hostsOf(d)) for (const r of h.remoteAccess.values()) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), r]);
    for (const [product, list] of [...byProduct].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const how = list.map((r) => r.what);
      const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
      const tunnel = TUNNEL_PRODUCTS.has(product);
      const tor = product === TOR;
      // Routers and firewalls terminate site-to-site tunnels by design.
      if (tunnel && d.category === 'network') continue;
      out.push(
        makeFinding('remote-access', d, {
          key: product,
          title: tor ? 'Anonymizing network in use: Tor' : tunnel ? `VPN tunnel out of the site: ${product}` : `Remote-access software in use: ${product}`,
          detail: tor
            ? `The device connects to the Tor network (${listText(how, 3)}): ${TOR_MEANING}${sensitive ? '; a medical or IoT device has no reason to, so it was compromised or misused' : ''}.`
            : `The device runs ${product} (${listText(how, 3)}): ${tunnel ? "the network at the tunnel's far end reaches the device through it, past the hospital's firewall and its own remote-access controls" : "a remote party can operate it through the vendor's service, outside the hospital's own remote-access controls"}${sensitive ? '; on a medical or IoT device this is usually a vendor support channel that must go through a managed, logged gateway' : ''}.`,
          evidence: list.map((r) => r.evidence),
          severity: tor ? (sensitive ? 'critical' : 'high') : sensitive ? 'high' : undefined,
          remediation: tor ? TOR_REMEDIATION : tunnel ? TUNNEL_REMEDIATION : undefined,
        }),
      );
    }
  }
  return out;
}
