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
import { isMedical } from '../segments.js';

/** Remote administration and file sharing, by conn.log service and by well-known port. */
const ADMIN_SERVICES = new Set(['rdp', 'smb', 'telnet', 'rlogin', 'rfb', 'dce_rpc', 'teamviewer']);
const ADMIN_PORTS = new Set([23, 135, 139, 445, 513, 3389, 5900, 5901, 5902, 5903, 5985, 5986]);
/** Databases. */
const DATABASE_SERVICES = new Set(['mysql', 'postgresql', 'mssql', 'oracle']);
const DATABASE_PORTS = new Set([1433, 1521, 3306, 5432]);
/** Clinical messaging and imaging. */
const CLINICAL_SERVICES = new Set(['dicom', 'hl7', 'astm', 'poct1a', 'intellivue']);
const CLINICAL_PORTS = new Set([104, 2575, 2761, 4242, 11112]);
/** Industrial and building control. */
const ICS_SERVICES = new Set(['modbus', 'bacnet', 'enip', 's7comm', 's7comm-plus', 'dnp3_tcp', 'dnp3_udp', 'iec104', 'opcua', 'knx', 'profinet']);
const ICS_PORTS = new Set([102, 502, 2404, 4840, 20000, 44818, 47808]);
/** Management and file transfer in clear. */
const CLEAR_MGMT_SERVICES = new Set(['snmp', 'ftp', 'tftp']);
const CLEAR_MGMT_PORTS = new Set([21, 69, 161]);

type Kind = 'admin' | 'database' | 'clinical' | 'ics' | 'management' | 'other';

function kindOf(x: InboundObs): Kind {
  const services = x.service === '' ? [] : x.service.split(',');
  const has = (set: ReadonlySet<string>, ports: ReadonlySet<number>): boolean => services.some((s) => set.has(s)) || (services.length === 0 && ports.has(x.port));
  if (has(ADMIN_SERVICES, ADMIN_PORTS)) return 'admin';
  if (has(CLINICAL_SERVICES, CLINICAL_PORTS)) return 'clinical';
  if (has(ICS_SERVICES, ICS_PORTS)) return 'ics';
  if (has(DATABASE_SERVICES, DATABASE_PORTS)) return 'database';
  if (has(CLEAR_MGMT_SERVICES, CLEAR_MGMT_PORTS)) return 'management';
  return 'other';
}

const KIND_TEXT: Record<Kind, string> = {
  admin: 'remote administration or file sharing',
  database: 'a database',
  clinical: 'clinical messaging or imaging',
  ics: 'industrial or building control',
  management: 'management or file transfer in clear text',
  other: '',
};

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
      const kind = kindOf(x);
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
