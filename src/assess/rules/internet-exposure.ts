// internet-exposure: the device answered connections from Internet addresses — a TCP handshake
// it completed, or a reply from a datagram service (SNMP, BACnet, CoAP …) — so the perimeter lets
// the Internet reach it (a port forward, a public address, a firewall rule too wide). Exposed
// PACS, DICOM and HL7 interfaces, remote desktops and building controllers are found by Internet
// scanners within hours; the devices a hospital cannot patch are the ones that must not be
// reachable at all.
// On a medical or IoT device every such service is a finding (critical for remote
// administration, clinical, industrial and clear-text management protocols, high otherwise). On
// other devices only the services that must never face the Internet are: remote administration
// and file sharing (RDP, SMB, Telnet, rlogin, VNC), databases, clinical and industrial protocols,
// SNMP, FTP and TFTP (high). A web, mail or VPN server facing the Internet is a DMZ's purpose,
// not a finding.
// "Internet" is any globally routable address outside the site's networks (--local-nets; default
// the private and link-local ranges), and the device must be inside them.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { InboundObs } from '../observe.js';
import { exposureKind, KIND_TEXT } from '../exposure.js';
import { isMedical } from '../segments.js';

export function internetExposure(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
    const byKey = new Map<string, InboundObs>();
    for (const h of ctx.hostsOf(d)) {
      for (const [k, x] of h.inbound) {
        const cur = byKey.get(k);
        if (cur === undefined) byKey.set(k, { ...x, clients: [...x.clients] });
        else {
          cur.count += x.count;
          for (const c of x.clients) if (!cur.clients.includes(c)) cur.clients.push(c);
          if (cur.service === '') cur.service = x.service;
          if (x.evidence.ts < cur.evidence.ts) cur.evidence = x.evidence;
        }
      }
    }
    for (const [key, x] of [...byKey].sort((a, b) => a[1].port - b[1].port || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const kind = exposureKind(x.service, x.port);
      if (!sensitive && kind === 'other') continue;
      const name = x.service !== '' ? `${x.service.split(',')[0].toUpperCase()} on ${key}` : key;
      const who = `${x.count} connection${x.count === 1 ? '' : 's'} from ${listText(x.clients.sort(), 4)}`;
      out.push(
        makeFinding('internet-exposure', d, {
          key,
          title: `Reachable from the Internet: ${name}`,
          detail: `The device answered ${who} on ${key}${x.service !== '' ? ` (${x.service})` : ''}${kind !== 'other' ? `, ${KIND_TEXT[kind]}` : ''}: the perimeter lets Internet hosts reach it${sensitive ? ', and it is a medical or IoT device, which cannot be patched or monitored like a server' : ''}.`,
          evidence: [x.evidence],
          severity: sensitive && kind !== 'other' ? 'critical' : undefined,
        }),
      );
    }
  }
  return out;
}
