// internet-communication: a medical or IoT device connected to Internet hosts that answered —
// a vendor's cloud, an update or time server, a public DNS resolver, or something else. Such
// devices should reach only the few endpoints their vendor names, through a proxy or a firewall
// rule per endpoint, so the list (with the names the device used: TLS server names, HTTP Hosts)
// is what the egress policy is written from; an unexpected destination is worth a look, and a
// clear-text protocol (HTTP, FTP, MQTT, DICOM, HL7 …) carries its content readable across the
// Internet. Workstations and servers talk to the Internet by design and are not judged.
// Severity: medium on a medical device (high when something crossed in clear), low on an IoT
// device (medium when in clear).
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { Evidence } from '../../report/model.js';
import { outboundEvidence } from '../observe.js';
import { isMedical } from '../segments.js';

/** One Internet destination of the device, over all its addresses. */
interface Dest {
  addr: string;
  names: string[];
  services: string[];
  clear: boolean;
  count: number;
  evidence: Evidence;
}

/** Destinations quoted as evidence. */
const MAX_EVIDENCE_DESTINATIONS = 8;

export function internetCommunication(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const medical = isMedical(d);
    if (!medical && !IOT_CATEGORIES.has(d.category)) continue;
    const byAddr = new Map<string, Dest>();
    for (const h of ctx.hostsOf(d)) {
      for (const x of h.outbound.values()) {
        const svcs = typeof x.services === 'string' ? [x.services] : x.services;
        const cur = byAddr.get(x.addr);
        if (cur === undefined) byAddr.set(x.addr, { addr: x.addr, names: [...(x.names ?? [])], services: [...svcs], clear: x.clear, count: x.count, evidence: outboundEvidence(h.addr, x) });
        else {
          cur.count += x.count;
          cur.clear ||= x.clear;
          for (const n of x.names ?? []) if (!cur.names.includes(n)) cur.names.push(n);
          for (const s of svcs) if (!cur.services.includes(s)) cur.services.push(s);
          if (x.ts < cur.evidence.ts) cur.evidence = outboundEvidence(h.addr, x);
        }
      }
    }
    if (byAddr.size === 0) continue;
    // Busiest first, then by address, so the evidence and the text name the main destinations.
    const list = [...byAddr.values()].sort((a, b) => b.count - a.count || (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
    const clear = list.filter((x) => x.clear);
    const named = (x: Dest): string => `${x.names.length > 0 ? `${x.names.join('/')} (${x.addr})` : x.addr} ${x.services.join(', ')}`;
    const n = list.length;
    const severity = medical ? (clear.length > 0 ? 'high' : undefined) : clear.length > 0 ? 'medium' : 'low';
    out.push(
      makeFinding('internet-communication', d, {
        key: 'internet',
        // One title per kind, so "Fix first" lists every device that needs the same egress rules once.
        title: clear.length > 0 ? 'Connects to Internet hosts, some in clear text' : 'Connects to Internet hosts',
        detail: `${n} Internet host${n === 1 ? '' : 's'}${clear.length > 0 ? ` (${clear.length} in clear text)` : ''} answered the device's connections: ${listText(list.map(named), 6)}. Allow ${medical ? 'a medical' : 'an IoT'} device only the endpoints its vendor documents (a proxy, or one firewall rule per endpoint) and block the rest${clear.length > 0 ? `; ${listText(clear.map((x) => x.names[0] ?? x.addr), 4)} ${clear.length === 1 ? 'was' : 'were'} reached with a protocol anyone on the path reads` : ''}.`,
        evidence: list.slice(0, MAX_EVIDENCE_DESTINATIONS).map((x) => x.evidence),
        severity,
      }),
    );
  }
  return out;
}
