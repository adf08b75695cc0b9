// UPnP port mappings: a host on the site asking the Internet gateway, over UPnP IGD control
// (upnp.action events: WANIPConnection/WANPPPConnection AddPortMapping and AddAnyPortMapping,
// WANIPv6FirewallControl AddPinhole), to let the Internet in to a port of its own or of another
// host. Malware does it to be reachable (botnet proxies such as UPnProxy, remote shells), and so
// does software nobody sanctioned; a hospital's medical and IoT devices have no business being
// reachable from the Internet. Judged by the gateway's answer: a mapping granted (or unanswered)
// is medium, high when it exposes a remote-access, file-sharing, database, medical or controller
// port, or when the host opened another host's port; a refused one is low (the attempt still says
// what the host runs). Hosts listed in `upnpAllow` are not judged. One alert per (host, gateway)
// episode naming each mapping; the host is the device, the gateway the peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Severity } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';

/** Actions that open the gateway to the Internet. */
const OPENING = new Set(['AddPortMapping', 'AddAnyPortMapping', 'AddPinhole']);
/** Internal ports whose exposure is worst, with what they are. */
const SENSITIVE = new Map<number, string>([
  [21, 'FTP'], [22, 'SSH'], [23, 'Telnet'], [135, 'Windows RPC'], [139, 'NetBIOS sessions'], [445, 'SMB'],
  [3389, 'RDP'], [5900, 'VNC'], [5901, 'VNC'], [5985, 'WinRM'], [5986, 'WinRM'],
  [1433, 'SQL Server'], [1521, 'Oracle'], [3306, 'MySQL'], [5432, 'PostgreSQL'], [6379, 'Redis'], [27017, 'MongoDB'],
  [104, 'DICOM'], [11112, 'DICOM'], [4242, 'DICOM'], [2575, 'HL7'],
  [502, 'Modbus'], [102, 'S7comm'], [20000, 'DNP3'], [47808, 'BACnet'], [44818, 'EtherNet/IP'],
  [161, 'SNMP'], [9100, 'raw printing'], [1883, 'MQTT'],
]);
/** Mappings named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

export class UpnpMappingDetector {
  private readonly allow: NetSet;
  /** `host|gateway` → what its open episode asked for, for the wording */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.upnpAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'upnp.action' || typeof ev.action !== 'string' || !OPENING.has(ev.action)) return;
    if (this.allow.has(c.o0, c.o1, c.o2, c.o3)) return;
    const host = origAddr(c);
    const gateway = respAddr(c);
    const str = (k: string): string | null => (typeof ev[k] === 'string' ? (ev[k] as string) : null);
    const num = (k: string): number | null => (typeof ev[k] === 'number' ? (ev[k] as number) : null);
    const inPort = num('internal_port');
    const target = str('internal_client') ?? host;
    const proto = str('protocol') ?? '';
    const ext = num('reserved_port') ?? num('external_port');
    const what = SENSITIVE.get(inPort ?? -1);
    const result = str('result');
    const granted = result === 'success';
    const refused = result === 'error';
    const forOther = target !== host;
    let severity: Severity = refused ? 'low' : 'medium';
    if (!refused && (what !== undefined || forOther)) severity = 'high';
    const outside = ev.action === 'AddPinhole' ? `${str('remote_host') ?? 'any host'} on the Internet` : `the Internet${ext !== null ? ` on external port ${ext}` : ''}${str('remote_host') !== null ? ` (from ${str('remote_host')} only)` : ''}`;
    const inside = `${forOther ? 'another host, ' : ''}${target}${inPort !== null ? `:${inPort}` : ''}${proto !== '' ? `/${proto}` : ''}${what !== undefined ? ` (${what})` : ''}`;
    const lease = num('lease_duration');
    const outcome = granted
      ? `granted${lease !== null ? (lease === 0 ? ', no expiry' : `, for ${lease} s`) : ''}`
      : refused
        ? `refused (${num('error_code') !== null ? `UPnP error ${num('error_code')}${str('error_description') !== null ? ` ${str('error_description')}` : ''}` : `HTTP ${num('status_code') ?? '?'}`})`
        : 'unanswered';
    const key = `${host}|${gateway}`;
    const said = episodeEntry(this.ctx.book.get('upnp-port-mapping', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    const item = `${ev.action} from ${outside} to ${inside}: ${outcome}`;
    if (!said.includes(item) && said.length < MAX_EPISODE_ITEMS) said.push(item);
    const file = eventFile(this.ctx, ev, c, m);
    const desc = str('description');
    const evidence = [eventEvidence('upnp-request', `${ev.action} ${inside}${ext !== null ? ` external ${ext}` : ''}${desc !== null ? ` "${desc}"` : ''}`, 'upnp.action', ev, c, m, file)];
    if (result !== 'no_response') evidence.push(eventEvidence('upnp-answer', outcome, 'upnp.action', { type: 'upnp.answer' }, c, m, file));
    this.ctx.book.observe({
      rule: 'upnp-port-mapping',
      key,
      device: this.ctx.deviceId(host, c.origMac === 0 ? null : formatMac(c.origMac)),
      peer: gateway,
      ts: evidence[0].ts,
      severity,
      why: `${host} asked the gateway ${gateway} over UPnP to let the Internet in: ${said.join('; ')}`,
      evidence,
    });
  }

  size(): number {
    return this.episodes.size;
  }
}
