// Which packets belong to which device. One device per MAC on the local segment, except that a
// MAC which sends for many addresses is a router (or gateway), and the hosts behind it are
// devices of their own, keyed by address. A MAC is judged a router when the addresses it sends
// for, other than those ARP or DHCP bind to it, span two or more subnets (/24, or /64 for
// IPv6); when LLDP/CDP say it routes; when it owns the default router a DHCP server handed out
// and sends for other addresses; or when it sends for a public address while the segment's
// other hosts use private ones; or when a host's SYN and SYN+ACK reached the capture through it with
// TTLs below every initial TTL stacks use (a router decremented them: the frames are the router's,
// not the host's). Broadcast and multicast addresses never become devices, and an
// address that never sent a packet (a scan target, a multicast group) is no device either, nor
// is one keyed by address whose only packets were raw TCP attempts that nothing answered, or one
// of many such behind one MAC, or one of many behind one MAC that each sent a single packet from
// a subnet of its own (a flood's forged sources), or a decoy scan's made-up source that only its
// scanner's MAC sent and nothing answered (src/flow/decoys.ts), nor is a CDP/LLDP flood's or a
// unicast MAC flood's made-up source MAC (observe-ctx.ts: Links.floodAnnouncers, floodSources).
// Hosts behind a router are devices when their address is private (Zeek's default notion of
// local, Site::private_address_space_is_local); public ones are the Internet's servers and
// clients, counted as external peers unless `external` asks for them too.
import { formatMac, formatV4 } from '../decode/packet.js';
import { ipIsHost, ipIsPrivate, macIsDevice, parseMacString, parseV4, subnetOf, v4Local, v6LinkLocal } from './addr.js';
import type { FactStore, Subject } from './facts.js';
import type { HostObs, HostTable, MacObs, SynSeen } from './hosts.js';
import type { Links } from './observe-ctx.js';

/** Distinct subnets of unbound addresses behind one MAC that make it a router. */
export const ROUTER_MIN_SUBNETS = 2;
/**
 * Addresses behind one MAC whose TCP attempts nothing answered, or that each sent one packet from
 * a subnet no other host behind that MAC is in, from which on they are all taken for forged
 * sources (a real router's hosts get answers, or resets, from most of what they try, talk more
 * than once, and share their subnets).
 */
export const FORGED_SOURCES_MIN = 64;

export interface DeviceDraft {
  id: string;
  mac: number | null;
  ips: Set<string>;
  /** Fact-store subjects merged into this device. */
  subjects: string[];
  hosts: HostObs[];
  macObs: MacObs | null;
  /** Why this MAC is a router, or null. */
  router: string | null;
  /** For a host behind a router: the router's MAC. */
  via: number | null;
  /** A router found by TTL: the forwarded packet that shows it (evidence). */
  forwarded: Forwarded | null;
}

export interface Forwarded {
  ip: string;
  syn: SynSeen;
  initial: number;
}

/**
 * The TTLs (IPv6 hop limits) packets leave their sender with: 64 (RFC 1700; Linux, macOS, most
 * embedded stacks), 128 (Windows), 255 (network gear, Solaris), 30/32/60 (old stacks). Layer-2
 * switches and bridges never change it; every router decrements it.
 */
const INITIAL_TTLS = [30, 32, 60, 64, 128, 255];

/** The initial TTL `ttl` was decremented from, or 0 when it is itself an initial TTL (or 0). */
export function forwardedFrom(ttl: number): number {
  if (ttl <= 0 || INITIAL_TTLS.includes(ttl)) return 0;
  for (const t of INITIAL_TTLS) if (t > ttl) return t;
  return 0;
}

/**
 * `h`'s kept SYN or SYN+ACK if `mac` put it on the wire after a router had forwarded it, and the
 * other one (when kept, through the same MAC) was forwarded too: a router in front of a host
 * decrements all of its packets, while a host that also forwards for a container or VM behind it
 * (Docker's published ports) sends its own at an initial TTL. A SYN that carries no TCP option
 * but MSS is left out: that is how scanners' raw probes look, and nmap gives those a random TTL of
 * 37-59 (p0f's "NMap:SYN scan" signatures).
 */
function forwardedSyn(h: HostObs | undefined, mac: number): Forwarded | null {
  if (h === undefined) return null;
  let out: Forwarded | null = null;
  for (const s of [h.synAck, h.syn]) {
    if (s === null || s.mac !== mac) continue;
    if (s === h.syn && s.tcpHdrLen <= 24) continue;
    const initial = forwardedFrom(s.ttl);
    if (initial === 0) return null;
    out ??= { ip: h.ip, syn: s, initial };
  }
  return out;
}

export interface AssembleOptions {
  /** Keep hosts behind a router whose address is public (default: private address space only). */
  external?: boolean;
  /**
   * Decoy scans' source addresses by the MAC that sent them all (src/flow/decoys.ts): a station
   * (one of the addresses is bound to its MAC) sending copies of its probes "from" other addresses
   * is not forwarding for them, so they make it no router, and an address that also came from a
   * MAC of its own belongs to that one.
   */
  decoys?: ReadonlyMap<number, { members: readonly string[] }>;
}

export interface Assembled {
  drafts: DeviceDraft[];
  /** Public addresses behind a router left out (options.external false). */
  externalPeers: number;
  /** Addresses without a MAC of their own left out as forged sources or probes (see FORGED_SOURCES_MIN). */
  unanswered: number;
  /** Those addresses (the assessment lists no device for them either). */
  forged: string[];
  /** MACs left out as a CDP/LLDP flood's made-up devices (Links.floodAnnouncers). */
  announcersDropped: number;
  /** MACs left out as a unicast MAC flood's made-up sources (Links.floodSources). */
  floodSourcesDropped: number;
}

export function assemble(hosts: HostTable, facts: FactStore, links: Links, opts: AssembleOptions = {}): Assembled {
  let externalPeers = 0;
  let unanswered = 0;
  const forged: string[] = [];
  const bound = (ip: string, mac: number): boolean => links.bind.get(ip)?.has(mac) === true;
  // MACs ARP or DHCP bound some address to: stations whose own address is known.
  const boundMacs = new Set<number>();
  for (const m of links.bind.values()) for (const mac of m.keys()) boundMacs.add(mac);
  const decoySets = new Map<number, Set<string>>();
  // Only a scanner on this segment: ARP or DHCP binds one of the group's addresses to its MAC. A
  // router forwarding a decoy scan from elsewhere sends the copies too, and stays a router.
  for (const [mac, g] of opts.decoys ?? []) if (g.members.some((ip) => bound(ip, mac))) decoySets.set(mac, new Set(g.members));
  // Every MAC that sent a frame: connections, frame events, DHCP clients, ARP senders.
  const macs = new Set<number>();
  for (const m of hosts.macs.keys()) if (macIsDevice(m)) macs.add(m);
  for (const key of facts.subjects.keys()) {
    if (key.startsWith('mac:')) {
      const n = parseMacString(key.slice(4));
      if (n >= 0 && macIsDevice(n)) macs.add(n);
    }
  }
  for (const m of links.bind.values()) for (const [mac, src] of m) if (src.startsWith('arp.')) macs.add(mac);
  // A CDP/LLDP flood's made-up devices, unless they sent something else too.
  const madeUp = new Set<number>();
  for (const m of links.floodAnnouncers) {
    if (hosts.macs.has(m) || !macIsDevice(m)) continue;
    macs.delete(m);
    madeUp.add(m);
  }
  const announcersDropped = madeUp.size;
  // A unicast MAC flood's made-up sources (Links.floodSources), unless something bound or
  // described them or they sent more than the one moment's frames a flood gives each.
  for (const m of links.floodSources) {
    if (boundMacs.has(m) || facts.subjects.has(`mac:${formatMac(m)}`)) continue;
    const o = hosts.macs.get(m);
    if (o !== undefined && o.last > o.first) continue;
    macs.delete(m);
    madeUp.add(m);
  }
  const floodSourcesDropped = madeUp.size - announcersDropped;

  let macsWithPrivate = 0;
  for (const o of hosts.macs.values()) {
    for (const v of o.v4) {
      if (v4Local(v)) {
        macsWithPrivate++;
        break;
      }
    }
  }
  const anyBinding = links.bind.size > 0;

  const routerWhy = new Map<number, string>();
  const forwardedBy = new Map<number, Forwarded>();
  for (const mac of macs) {
    const o = hosts.macs.get(mac);
    let why: string | null = null;
    let unbound = 0;
    const boundHere: string[] = [];
    let pub: number | null = null;
    let mine = false;
    const v4Subnets = new Set<number>();
    const v6Subnets = new Set<string>();
    let fwd: Forwarded | null = null;
    const decoys = decoySets.get(mac);
    if (o !== undefined) {
      for (const v of o.v4) {
        if (anyBinding || decoys !== undefined) {
          const ip = formatV4(v);
          if (bound(ip, mac)) {
            boundHere.push(ip);
            continue;
          }
          if (decoys?.has(ip) === true) continue;
        }
        fwd ??= forwardedSyn(hosts.v4.get(v), mac);
        unbound++;
        v4Subnets.add(v >>> 8);
        if (v4Local(v)) mine = true;
        else pub ??= v;
      }
      for (const ip of o.v6) {
        if (v6LinkLocal(ip)) continue;
        if (bound(ip, mac)) {
          boundHere.push(ip);
          continue;
        }
        if (decoys?.has(ip) === true) continue;
        fwd ??= forwardedSyn(hosts.v6.get(ip), mac);
        unbound++;
        v6Subnets.add(subnetOf(ip));
      }
    }
    if (v4Subnets.size >= ROUTER_MIN_SUBNETS || v6Subnets.size >= ROUTER_MIN_SUBNETS) {
      why = `sends for ${unbound}${o !== undefined && o.ipsDropped > 0 ? '+' : ''} addresses in ${v4Subnets.size + v6Subnets.size} subnets that ARP/DHCP do not bind to it`;
    } else if (links.routerCapable.has(mac)) {
      why = 'LLDP/CDP advertise the router capability';
    } else if (unbound > 0 && boundHere.some((ip) => links.routers.has(ip))) {
      why = 'owns the default router address DHCP hands out and sends for other addresses';
    } else if (pub !== null && macsWithPrivate - ((mine || boundHere.some((ip) => !ip.includes(':') && v4Local(parseV4(ip)))) ? 1 : 0) > 0) {
      why = `sends for public address ${formatV4(pub)} while the segment's hosts use private addresses`;
    } else if (fwd !== null) {
      why = `sends packets of ${fwd.ip} that arrive with TTL ${fwd.syn.ttl}, below the ${fwd.initial} they left with: a router forwarded them`;
      forwardedBy.set(mac, fwd);
    }
    if (why !== null) routerWhy.set(mac, why);
  }

  // Every address that can be a device: it sent packets, or facts were stated about it.
  const ipSubjects = new Map<string, Subject>();
  for (const [key, sub] of facts.subjects) if (key.startsWith('ip:')) ipSubjects.set(key.slice(3), sub);
  const addrs: [string, HostObs | null][] = [];
  for (const h of hosts.v4.values()) addrs.push([h.ip, h]);
  for (const h of hosts.v6.values()) addrs.push([h.ip, h]);
  for (const ip of ipSubjects.keys()) if (hosts.hostByText(ip, false) === null && ipIsHost(ip)) addrs.push([ip, null]);
  // Addresses ARP, a DHCP lease, RADIUS or PROFINET bound to a MAC without the device sending an
  // IP packet of its own (it answered ARP only, or kept quiet after its lease): still its own.
  for (const ip of links.bind.keys()) if (!ipSubjects.has(ip) && hosts.hostByText(ip, false) === null) addrs.push([ip, null]);

  const drafts = new Map<string, DeviceDraft>();
  const macDraft = (mac: number): DeviceDraft => {
    const id = `mac:${formatMac(mac)}`;
    let d = drafts.get(id);
    if (d === undefined) {
      d = { id, mac, ips: new Set(), subjects: facts.subjects.has(id) ? [id] : [], hosts: [], macObs: hosts.macs.get(mac) ?? null, router: routerWhy.get(mac) ?? null, via: null, forwarded: forwardedBy.get(mac) ?? null };
      drafts.set(id, d);
    }
    return d;
  };
  for (const mac of macs) macDraft(mac);

  /** An address keyed by itself is listed as a device when it is local, or when external hosts are asked for. */
  const listed = (ip: string, h: HostObs | null): boolean => opts.external === true || (h !== null && h.v4 >= 0 ? v4Local(h.v4) : ipIsPrivate(ip));
  const addressDevice = (ip: string, h: HostObs | null, s: Subject | undefined, via: number | null): void => {
    if (!listed(ip, h)) {
      externalPeers++;
      return;
    }
    const id = `ip:${ip}`;
    drafts.set(id, { id, mac: null, ips: new Set([ip]), subjects: s !== undefined ? [s.key] : [], hosts: h !== null ? [h] : [], macObs: null, router: null, via, forwarded: null });
  };
  const quiet: { ip: string; h: HostObs; s: Subject | undefined; via: number | null }[] = [];
  const single: { ip: string; h: HostObs; s: Subject | undefined; via: number | null; subnet: string }[] = [];
  // Address-keyed hosts per subnet (/24, /64), by the MAC they came through (-1: none).
  const occupancy = new Map<number, Map<string, number>>();
  const occupy = (via: number | null, ip: string): string => {
    let m = occupancy.get(via ?? -1);
    if (m === undefined) occupancy.set(via ?? -1, (m = new Map()));
    const k = subnetOf(ip);
    m.set(k, (m.get(k) ?? 0) + 1);
    return k;
  };
  for (const [ip, h] of addrs) {
    const s = ipSubjects.get(ip);
    const subject = s?.key ?? '';
    let owner: number | null = null;
    const b = links.bind.get(ip);
    if (b !== undefined && b.size > 0) {
      // Several MACs bound the address (it moved, or a conflict): the one that sent most for it.
      let best = -1;
      const seen = h?.macList() ?? [];
      for (const mac of b.keys()) {
        const n = seen.find((e) => e.mac === mac)?.conns ?? 0;
        if (n > best || (n === best && owner !== null && mac < owner)) {
          best = n;
          owner = mac;
        }
      }
    }
    let via: number | null = null;
    if (owner === null && h !== null) {
      // A MAC that sent the address only as a decoy ranks below any other that sent it.
      let best = -2;
      const one = h.moreMacs === null;
      const list = one ? null : h.macList();
      const n = one ? (h.obs0 !== null ? 1 : 0) : list!.length;
      for (let i = 0; i < n; i++) {
        const mac = one ? h.mac0 : list![i].mac;
        const conns = decoySets.get(mac)?.has(ip) === true ? -1 : one ? h.conns0 : list![i].conns;
        if (!macIsDevice(mac) || madeUp.has(mac)) continue;
        if (routerWhy.has(mac)) {
          via ??= mac;
          continue;
        }
        if (conns > best || (conns === best && owner !== null && mac < owner)) {
          best = conns;
          owner = mac;
        }
      }
      // Sent by a station whose own address ARP/DHCP bound, and nothing ever answered it: an
      // address the station made up (a decoy scan's, a flood's forged sources drawn from the
      // local subnet, which nobody answers ARP for), no device's. (A decoy group is only kept for
      // such a station, so its made-up members land here too.)
      if (owner !== null && boundMacs.has(owner) && !h.answered && !(s !== undefined && s.facts.some((f) => f.self))) {
        unanswered++;
        forged.push(ip);
        continue;
      }
    }
    if (owner === null) {
      const weak = links.weakBind.get(ip);
      if (weak !== undefined && !routerWhy.has(weak) && !madeUp.has(weak)) owner = weak;
    }
    if (owner !== null) {
      const d = macDraft(owner);
      d.ips.add(ip);
      if (h !== null) d.hosts.push(h);
      if (s !== undefined) d.subjects.push(subject);
      continue;
    }
    const stated = s !== undefined && s.facts.some((f) => f.self);
    if (!(h?.sent === true) && !stated) continue;
    const subnet = occupy(via, ip);
    if (h !== null && !h.answered && !stated) {
      quiet.push({ ip, h, s, via });
      continue;
    }
    if (h !== null && h.pktsSent === 1 && !stated) {
      single.push({ ip, h, s, via, subnet });
      continue;
    }
    addressDevice(ip, h, s, via);
  }
  // Keyed by address, a host whose only packets were TCP attempts nothing answered, without a
  // byte of payload, is judged by what sent them (Zeek's known_hosts lists only hosts that
  // completed a handshake): a packet tool's raw SYN (no option but MSS: hping3, flooders, nmap)
  // or one of many such sources behind one MAC is a forged source or a probe into empty address
  // space, counted, not listed. One host's SYN with an OS's options (a PC whose server is down)
  // remains a device.
  const quietPerMac = new Map<number, number>();
  for (const q of quiet) if (q.via !== null) quietPerMac.set(q.via, (quietPerMac.get(q.via) ?? 0) + 1);
  for (const q of quiet) {
    const syn = q.h.syn;
    if (syn === null || syn.tcpHdrLen <= 24 || (q.via !== null && quietPerMac.get(q.via)! >= FORGED_SOURCES_MIN)) {
      unanswered++;
      forged.push(q.ip);
    }
    else addressDevice(q.ip, q.h, q.s, q.via);
  }
  // Keyed by address, a host that sent one packet in the whole capture and is the only host of
  // its subnet behind its MAC is judged with the others like it: FORGED_SOURCES_MIN of them behind
  // one MAC is a flood from random forged sources (hping3 --rand-source: one packet per made-up
  // address, whether the target answered it or not), and they are counted, not listed. A routed
  // subnet's real hosts share their /24 (a short capture may see each send one DNS query), and one
  // lone host seen once is not enough to say anything: both stay devices.
  const lonelyPerMac = new Map<number, number>();
  const lonely = (x: { via: number | null; subnet: string }): boolean => occupancy.get(x.via ?? -1)!.get(x.subnet) === 1;
  for (const x of single) if (lonely(x)) lonelyPerMac.set(x.via ?? -1, (lonelyPerMac.get(x.via ?? -1) ?? 0) + 1);
  // Public addresses among them count toward the judgement (most of a random flood's sources are
  // public) but stay what they were, the Internet's external peers: Internet scanners are real
  // (and anonymised captures scatter real hosts the same way). Those that would be listed are forged.
  for (const x of single) {
    if (lonely(x) && lonelyPerMac.get(x.via ?? -1)! >= FORGED_SOURCES_MIN && listed(x.ip, x.h)) {
      unanswered++;
      forged.push(x.ip);
    } else addressDevice(x.ip, x.h, x.s, x.via);
  }
  return { drafts: [...drafts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), externalPeers, unanswered, forged, announcersDropped, floodSourcesDropped };
}
