// gateway-port-mapping: an Internet gateway (a router, a firewall, a clinic's broadband box) that
// runs a port-mapping service — UPnP IGD, NAT-PMP or PCP —, by which any host on its LAN may ask
// it, with no authentication, to forward a port from the Internet to itself or to another host
// (UPnP AddPortMapping, AddAnyPortMapping, IGD 2's AddPinhole for IPv6; NAT-PMP map requests; PCP
// MAP and PEER, with THIRD_PARTY for another host). Malware uses it to become reachable and to
// turn the gateway into a proxy (UPnProxy); a device behind it ends up on the Internet without
// anyone deciding so. Judged from the gateway's own traffic: it granted a mapping (high: the door
// was opened), answered the service's requests (medium), or only announced an Internet Gateway
// Device over SSDP (low: the service is on, whether it grants is unseen). CIS Controls 4.8.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';

export function gatewayPortMapping(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs = ctx.hostsOf(d).flatMap((h) => (h.portMapping === null ? [] : [h.portMapping]));
    if (obs.length === 0) continue;
    const granted = obs.flatMap((o) => o.granted);
    const control = obs.map((o) => o.control).filter((e) => e !== null);
    const advertised = obs.map((o) => o.advertised).filter((e) => e !== null);
    const protocols = [...new Set(obs.flatMap((o) => o.protocols))];
    const by = protocols.length > 0 ? listText(protocols) : 'UPnP IGD';
    const what =
      granted.length > 0
        ? `granted port mappings over ${by}: ${listText(granted.map((g) => g.text), 4)}`
        : control.length > 0
          ? `answers port-mapping requests over ${by}`
          : 'announces an Internet Gateway Device over SSDP (UPnP IGD, whose WAN connection service grants port mappings)';
    out.push(
      makeFinding('gateway-port-mapping', d, {
        key: 'gateway',
        detail: `The device ${what}. Any host on its LAN may ask it, with no authentication, to forward ports from the Internet to itself or to another host: malware does so to be reachable or to relay others' traffic, and a device behind it reaches the Internet without anyone deciding so.`,
        evidence: [...granted.map((g) => g.evidence), ...control, ...advertised].slice(0, 6),
        severity: granted.length > 0 ? 'high' : control.length > 0 ? 'medium' : 'low',
      }),
    );
  }
  return out;
}
