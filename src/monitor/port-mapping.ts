// Port mappings: a host on the site asking the Internet gateway to let the Internet in to a port
// of its own or of another host — over UPnP IGD control (upnp.action events: WANIPConnection /
// WANPPPConnection AddPortMapping and AddAnyPortMapping, WANIPv6FirewallControl AddPinhole), or
// NAT-PMP and PCP (natpmp.transaction events: map_tcp/map_udp, PCP MAP and PEER, PCP's
// THIRD_PARTY option for another host). Malware does it to be reachable (botnet proxies such as
// UPnProxy, remote shells), and so does software nobody sanctioned; a hospital's medical and IoT
// devices have no business being reachable from the Internet. Judged by the gateway's answer: a
// mapping granted (or unanswered) is medium, high when it exposes a remote-access, file-sharing,
// database, medical or controller port, or when the host opened another host's port; a refused
// one is low (the attempt still says what the host runs). Deleting a mapping (NAT-PMP and PCP
// lifetime 0) is not judged. Hosts listed in `portMappingAllow` are not judged. One alert per
// (host, gateway) episode naming each mapping; the host is the device, the gateway the peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Severity } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { SERVICE_PORTS } from '../assess/exposure.js';
import { eventEvidence, eventFile, origMacOf, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';

/** UPnP actions that open the gateway to the Internet. */
const UPNP_OPENING = new Set(['AddPortMapping', 'AddAnyPortMapping', 'AddPinhole']);
/** NAT-PMP and PCP opcodes that do. */
const PORTMAP_OPENING = new Set(['map_tcp', 'map_udp', 'map', 'peer']);
/** Mappings named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

/** One mapping asked for, whichever protocol asked. */
interface Request {
  /** How it was asked: the UPnP action or "NAT-PMP map_tcp", "PCP MAP" … */
  how: string;
  host: string;
  gateway: string;
  target: string;
  internalPort: number | null;
  proto: string;
  externalPort: number | null;
  remote: string | null;
  pinhole: boolean;
  lease: number | null;
  outcome: 'granted' | 'refused' | 'unanswered';
  /** What the refusal said. */
  refusal: string;
  description: string | null;
}

export class PortMappingDetector {
  private readonly allow: NetSet;
  /** `host|gateway` → what its open episode asked for, for the wording */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.portMappingAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null) return;
    let r: Request | null = null;
    if (ev.type === 'upnp.action') r = upnpRequest(ev, c);
    else if (ev.type === 'natpmp.transaction') r = portmapRequest(ev);
    if (r === null || this.allow.hasAddr(r.host)) return;
    // The internal port's service when it is one whose reach from outside matters.
    const what = SERVICE_PORTS.get(r.internalPort ?? -1)?.name;
    const forOther = r.target !== r.host;
    let severity: Severity = r.outcome === 'refused' ? 'low' : 'medium';
    if (r.outcome !== 'refused' && (what !== undefined || forOther)) severity = 'high';
    const outside = r.pinhole
      ? `${r.remote ?? 'any host'} on the Internet`
      : `the Internet${r.externalPort !== null && r.externalPort !== 0 ? ` on external port ${r.externalPort}` : ''}${r.remote !== null ? ` (from ${r.remote} only)` : ''}`;
    const inside = `${forOther ? 'another host, ' : ''}${r.target}${r.internalPort !== null ? `:${r.internalPort}` : ''}${r.proto !== '' ? `/${r.proto}` : ''}${what !== undefined ? ` (${what})` : ''}`;
    const outcome =
      r.outcome === 'granted'
        ? `granted${r.lease !== null ? (r.lease === 0 ? ', no expiry' : `, for ${r.lease} s`) : ''}`
        : r.outcome === 'refused'
          ? `refused (${r.refusal})`
          : 'unanswered';
    const key = `${r.host}|${r.gateway}`;
    const said = episodeEntry(this.ctx.book.get('port-mapping', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    const item = `${r.how} from ${outside} to ${inside}: ${outcome}`;
    if (!said.includes(item) && said.length < MAX_EPISODE_ITEMS) said.push(item);
    const file = eventFile(this.ctx, ev, c, m);
    const evidence = [eventEvidence('port-mapping-request', `${r.how} ${inside}${r.externalPort !== null ? ` external ${r.externalPort}` : ''}${r.description !== null ? ` "${r.description}"` : ''}`, ev.type, ev, c, m, file)];
    if (r.outcome !== 'unanswered') evidence.push(eventEvidence('port-mapping-answer', outcome, ev.type, { type: 'answer' }, c, m, file));
    const mac = origMacOf(c, r.host);
    this.ctx.book.observe({
      rule: 'port-mapping',
      key,
      device: this.ctx.deviceId(r.host, mac),
      peer: r.gateway,
      ts: evidence[0].ts,
      severity,
      why: `${r.host} asked the gateway ${r.gateway} to let the Internet in: ${said.join('; ')}`,
      evidence,
    });
  }

  size(): number {
    return this.episodes.size;
  }
}

const str = (ev: AppEvent, k: string): string | null => (typeof ev[k] === 'string' ? (ev[k] as string) : null);
const num = (ev: AppEvent, k: string): number | null => (typeof ev[k] === 'number' ? (ev[k] as number) : null);

function upnpRequest(ev: AppEvent, c: Conn): Request | null {
  const action = str(ev, 'action');
  if (action === null || !UPNP_OPENING.has(action)) return null;
  const host = origAddr(c);
  const result = str(ev, 'result');
  const code = num(ev, 'error_code');
  const desc = str(ev, 'error_description');
  return {
    how: action,
    host,
    gateway: respAddr(c),
    target: str(ev, 'internal_client') ?? host,
    internalPort: num(ev, 'internal_port'),
    proto: str(ev, 'protocol') ?? '',
    externalPort: num(ev, 'reserved_port') ?? num(ev, 'external_port'),
    remote: str(ev, 'remote_host'),
    pinhole: action === 'AddPinhole',
    lease: num(ev, 'lease_duration'),
    outcome: result === 'success' ? 'granted' : result === 'error' ? 'refused' : 'unanswered',
    refusal: code !== null ? `UPnP error ${code}${desc !== null ? ` ${desc}` : ''}` : `HTTP ${num(ev, 'status_code') ?? '?'}`,
    description: str(ev, 'description'),
  };
}

function portmapRequest(ev: AppEvent): Request | null {
  const op = str(ev, 'opcode');
  if (op === null || !PORTMAP_OPENING.has(op)) return null;
  // A lifetime of 0 deletes the mapping (RFC 6886 §3.4, RFC 6887 §15).
  const asked = num(ev, 'requested_lifetime');
  if (asked === 0 || (asked === null && num(ev, 'lifetime') === 0)) return null;
  const host = str(ev, 'client');
  const gateway = str(ev, 'server');
  if (host === null || gateway === null) return null;
  const pcp = ev.protocol === 'pcp';
  const result = str(ev, 'result');
  const answered = ev.answered === true;
  return {
    how: pcp ? `PCP ${op.toUpperCase()}` : `NAT-PMP ${op}`,
    host,
    gateway,
    target: str(ev, 'internal_ip') ?? host,
    internalPort: num(ev, 'internal_port'),
    proto: str(ev, 'transport') ?? '',
    externalPort: num(ev, 'external_port') ?? num(ev, 'requested_external_port'),
    remote: op === 'peer' ? str(ev, 'remote_ip') : null,
    pinhole: false,
    lease: answered ? num(ev, 'lifetime') : asked,
    outcome: !answered ? 'unanswered' : result === 'SUCCESS' ? 'granted' : 'refused',
    refusal: `${pcp ? 'PCP' : 'NAT-PMP'} result ${result ?? '?'}`,
    description: null,
  };
}
