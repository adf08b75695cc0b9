// upnp-igd: an Internet gateway (a router, a firewall, a clinic's broadband box) that runs UPnP
// IGD, the protocol by which any host on its LAN may ask it — with no authentication — to forward
// a port from the Internet to itself or to another host (AddPortMapping, AddAnyPortMapping, IGD 2's
// AddPinhole for IPv6). Malware uses it to become reachable and to turn the gateway into a proxy
// (UPnProxy); a device behind it ends up on the Internet without anyone deciding so. Judged from
// the gateway's own traffic: it granted a port mapping (high when it did: the door was opened),
// answered a WANIPConnection/WANPPPConnection action (medium), or only announced an Internet
// Gateway Device over SSDP (low: the service is on, whether it grants is unseen). CIS Controls 4.8.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';

export function upnpIgd(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs = ctx.hostsOf(d).flatMap((h) => (h.upnpIgd === null ? [] : [h.upnpIgd]));
    if (obs.length === 0) continue;
    const granted = obs.flatMap((o) => o.granted);
    const control = obs.map((o) => o.control).filter((e) => e !== null);
    const advertised = obs.map((o) => o.advertised).filter((e) => e !== null);
    const what =
      granted.length > 0
        ? `granted UPnP port mappings: ${listText(granted.map((g) => g.text), 4)}`
        : control.length > 0
          ? 'answers UPnP IGD control actions on its WAN connection service (the service that grants port mappings)'
          : 'announces an Internet Gateway Device over SSDP (UPnP IGD, whose WAN connection service grants port mappings)';
    out.push(
      makeFinding('upnp-igd', d, {
        key: 'gateway',
        detail: `The device ${what}. Any host on its LAN may ask it, with no authentication, to forward ports from the Internet to itself or to another host: malware does so to be reachable or to relay others' traffic, and a device behind it reaches the Internet without anyone deciding so.`,
        evidence: [...granted.map((g) => g.evidence), ...control, ...advertised].slice(0, 6),
        severity: granted.length > 0 ? 'high' : control.length > 0 ? 'medium' : 'low',
      }),
    );
  }
  return out;
}
