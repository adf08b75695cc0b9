// Link-layer attacks seen from the analyzers' events:
//  - ARP spoofing: an IP address asserted by a second MAC while the first one was still speaking
//    for it (arp.binding, RFC 826 sender fields). A real move (NIC swap, DHCP reuse) happens after
//    the old MAC has gone quiet; a spoofer and its victim claim the address in turn.
//  - Neighbor Discovery spoofing: the same for IPv6, from the link-layer address options of
//    solicitations and overriding advertisements (ndp.binding, RFC 4861 §7.2): what parasite6
//    and other ND poisoners do.
//  - Rogue IPv6 router: a router advertisement (RFC 4861 §6.1.2-valid) from a router not in
//    ipv6Routers, or, without a list, from a second router of a link that offers hosts a prefix
//    the link's routers do not, or a higher default-router preference than theirs (RFC 4191):
//    the consumer router plugged into a clinical port, Windows connection sharing, or
//    fake_router6 taking the hosts' default route (RFC 6104). A redundant router advertising
//    the same prefixes is left alone. Many routers appearing at once on a link is an RA flood,
//    which exhausts hosts' CPU (flood_router26): one dos-flood alert for the link.
//  - Rogue DHCP: a DHCP server answering (OFFER/ACK/NAK, RFC 2131 §4.3) that is not on the
//    configured list, or, without a list, a second server answering on a segment where another
//    already did.
//  - Forged ICMP redirect: a redirect in a router's name from another MAC than ARP bound the
//    router's address to (hping3), or, with ipv4Routers, to a gateway not listed.
//  - DHCP starvation: one Ethernet source asking for leases for many made-up client hardware
//    addresses (dhcpstarv), or more clients DISCOVERing on a link within a minute than a /24
//    holds (Yersinia, which forges the Ethernet source too).
//  - Gateway takeover: an HSRP router claiming the active role of a group (a coup, or hellos in
//    the active state), or a VRRP router advertising as master, with a higher priority than the
//    group's active router or master, or, with ipv4Routers listed, any router not on the list:
//    the group's virtual address — the hosts' default gateway — then answers from it
//    (Yersinia's "becoming ACTIVE router", a keepalived started with priority 254).
//  - Spanning Tree root takeover: a BPDU naming a root bridge better (lower priority, then MAC)
//    than the root the link's BPDUs named first, or one not in stpRootBridges: the bridges
//    then send every frame that crosses the tree through the new root (Yersinia's "claiming
//    root role"; a consumer switch plugged into a wall port with a low priority).
//  - Switch spoofing: a DTP frame asking for a trunk (mode desirable or on) from what is no
//    switch port — an end host (it sent ARP), or, on a link whose switch is known (it sent
//    BPDUs, or CDP/LLDP naming a switch), a MAC that sent none of those within DTP_GRACE_SECS. A
//    port that agrees carries every VLAN to the asker, past the segmentation (Yersinia's
//    "enabling trunking").
//  - VLAN hopping by double tagging: one MAC sending untagged frames and frames with two 802.1Q
//    tags (vlan.stacked): the access switch strips the outer tag (its native VLAN) and the next
//    switch forwards the frame into the inner VLAN, which the host has no access to (Yersinia's
//    "sending 802.1Q double enc. packet"). A provider's Q-in-Q link tags all of a MAC's frames.
//  - VTP takeover: a VTP summary for a domain at a higher configuration revision than the
//    domain's, from another updater than the one that made the current revision: every switch of
//    the domain in server or client mode replaces its VLAN database with the subset that follows
//    (a switch with a higher revision plugged in, or Yersinia deleting the domain's VLANs).
//    Critical when that subset leaves out VLANs the domain had, or holds only the defaults.
//  - 802.11 deauthentication flood: many deauthentication/disassociation frames in the name of
//    one transmitter within a short window. Stations get one now and then (roaming, idle
//    timeout); a burst of them is how attack tools knock stations — infusion pumps, monitors on
//    Wi-Fi — off the network. Without 802.11w (PMF) such frames are unauthenticated, so the
//    transmitter address is usually forged: the alert names it as the impersonated party.
//  - Rogue access point: a BSSID announcing a network name with weaker protection than another
//    BSSID announces it with (an evil twin luring stations onto an open copy of the clinical
//    network), or, when the site lists its access points, any unlisted BSSID announcing the name
//    of a listed one.
//  - Name-resolution poisoning: one host answering LLMNR (RFC 4795) or NetBIOS name queries
//    (RFC 1002) for several different names with its own address. A host answers only for its
//    own name (RFC 4795 §2.1: a responder MUST NOT answer for names it is not authoritative for);
//    a WINS server answers for many names but with their owners' addresses. Responder and
//    Inveigh answer every broadcast query with their own, to collect the NTLM hashes of whoever
//    connects (MITRE ATT&CK T1557.001).
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { addrWords, segmentOf } from './net.js';
import { v6LinkLocal } from '../inventory/addr.js';
import { windowEntry } from './window.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { WIFI_SECURITY_RANK } from '../analyzers/wlan/parse.js';
import { evictOldest } from '../util/evict.js';
import { VoiceVlans } from './voice-vlan.js';

const ARP_UNSPECIFIED = '0.0.0.0';
const DHCP_SERVER_TYPES = new Set(['OFFER', 'ACK', 'NAK']);
const MAX_DHCP_SEGMENTS = 4096;

interface Binding {
  mac: string;
  ts: number;
  evidence: Evidence;
}

interface Ipv6Router {
  mac: string;
  src: string;
  prefixes: Set<string>;
  preference: number;
  evidence: Evidence;
}

interface RouterLink {
  /** router MAC → what it advertises (the link's accepted routers) */
  routers: Map<string, Ipv6Router>;
  /** The current flood window: its start and the distinct senders in it (at most raFloodRouters). */
  burstStart: number;
  burst: Set<string>;
  burstEvidence: Evidence | null;
  /** Routers raised as rogue in the current window (a flood's first senders would each raise one). */
  burstRogues: Set<string>;
  /** One of the link's routers has advertised a second time: every router of the link has been heard. */
  established: boolean;
}

/** RFC 4191 default router preferences, ranked. */
const PREFERENCE_RANK: Record<string, number> = { low: 0, medium: 1, high: 2 };
const MAX_ROUTER_LINKS = 4096;
const MAX_ROUTERS_PER_LINK = 16;
const MAX_PREFIXES_PER_ROUTER = 32;
/** Routers raised as rogue per link and flood window: past them, new ones only count towards the flood. */
const MAX_ROGUES_PER_WINDOW = 5;
/** Prefixes named in an alert's text. */
const PREFIXES_SHOWN = 4;

/** A link as alerts name it: its VLAN, or the untagged one. */
function linkName(vlan: number): string {
  return vlan > 0 ? `VLAN ${vlan}` : 'the untagged link';
}

/** The ARP/ND table's key of an address: overlapping address plans on different VLANs are different addresses. */
function bindingSlot(vlan: number, ip: string): string {
  return vlan >= 0 ? `${vlan}|${ip}` : ip;
}

function prefixList(ps: Iterable<string>): string {
  const all = [...ps];
  return all.slice(0, PREFIXES_SHOWN).join(', ') + (all.length > PREFIXES_SHOWN ? ` and ${all.length - PREFIXES_SHOWN} more` : '');
}

/** A DHCPv6 server of a link and what it hands out: /64 prefixes of its addresses, delegated prefixes, DNS servers. */
interface Dhcp6Server {
  id: string;
  offers: Set<string>;
  dns: Set<string>;
  evidence: Evidence;
}

const MAX_DHCP6_SERVERS_PER_LINK = 16;
const MAX_DHCP6_OFFERS = 32;

/** The /64 of an IPv6 address, as text; null for anything else. */
function prefix64(a: string): string | null {
  const w = addrWords(a);
  return w === null || !a.includes(':') ? null : `${formatAddr(w[0], w[1], 0, 0)}/64`;
}

/** A redundancy group's (HSRP group's, VRRP virtual router's) gateway router, as first heard. */
interface HsrpActive {
  router: string;
  mac: string;
  priority: number;
  evidence: Evidence;
}
const MAX_HSRP_GROUPS = 4096;

/** A link's Spanning Tree root: its bridge identifier ("priority/extension/MAC") and the BPDU that named it first. */
interface StpRoot {
  id: string;
  rank: number;
  mac: string;
  evidence: Evidence;
}
const MAX_STP_LINKS = 4096;

/** A link's CDP or LLDP announcements in the current flood window: the different senders (at most neighborFloodSenders). */
interface NeighborBurst {
  first: number;
  senders: Set<string>;
  evidence: Evidence;
}

/** A link's new locally administered sources in the current MAC flood window. */
interface LocalBurst {
  first: number;
  /** the link's count of such frames before the window's first new source */
  startFrames: number;
  sources: number;
  evidence: Evidence;
}

/** A link's BPDUs in the current flood window: the different senders (at most stpFloodBridges) and the TCNs. */
interface StpBurst {
  first: number;
  senders: Set<string>;
  tcns: number;
  /** Root claims raised in this window: a flood's made-up bridges would each raise one. */
  claims: Set<string>;
  evidence: Evidence;
}

/** One Ethernet source's DHCP requests for other client hardware addresses, or one link's DISCOVER senders, in a window. */
interface DhcpClients {
  first: number;
  clients: Set<string>;
  evidence: Evidence;
}
const MAX_STARVATION_LINKS = 4096;

interface DhcpServer {
  id: string;
  mac: string | null;
  evidence: Evidence;
}

interface DeauthBurst {
  first: number;
  count: number;
  receivers: Set<string>;
  evidence: Evidence;
}

interface AccessPoint {
  security: string;
  rank: number;
  listed: boolean;
  evidence: Evidence;
}

/** Network names followed, and access points per name (a campus has hundreds, not thousands). */
const MAX_WIFI_NETWORKS = 4096;
const MAX_APS_PER_NETWORK = 1024;

/**
 * A DTP trunk request's sender gets this long to show itself a switch port (a BPDU every 2 s by
 * default, so three hello times) before, on a link whose switch is known, it is raised.
 */
const DTP_GRACE_SECS = 6;
const MAX_TRUNK_REQUESTS = 256;
const MAX_SWITCH_PORTS = 4096;
/** CDP/LLDP capabilities that make an announcer a switch port. */
const SWITCH_CAPABILITY = /^(switch|bridge|transparent_bridge|source_route_bridge|router|two_port_mac_relay)$/;

/** What a MAC's frames said about it: the first ARP it sent, the first untagged one, the first with stacked 802.1Q tags. */
interface StationFrames {
  arp: Evidence | null;
  /** The address its first ARP was for. */
  arpIp: string;
  untagged: Evidence | null;
  stacked: Evidence | null;
}

/** A DTP trunk request waiting for its sender to show itself a switch port. */
interface TrunkRequest {
  mac: string;
  vlan: number;
  /** "trunk mode desirable, status access, 802.1q encapsulation" */
  what: string;
  deadline: number;
  evidence: Evidence;
}

/** A VTP domain's current revision and who made it; the VLANs of its last subset at that revision. */
interface VtpDomain {
  revision: number;
  updater: string;
  evidence: Evidence;
  vlans: number[] | null;
  /** The takeover raised at the current revision: its subset extends the same alert. */
  takeover: { mac: string; why: string } | null;
}
const MAX_VTP_DOMAINS = 256;
/** VLANs every Catalyst has and VTP never deletes: default, and the FDDI/Token Ring defaults. */
const VTP_DEFAULT_VLANS = new Set([1, 1002, 1003, 1004, 1005]);

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const LLMNR_PORT = 5355;
const LLMNR_GROUPS = new Set(['224.0.0.252', 'ff02::1:3']);
/** Names kept per answering host's window (the threshold is a handful). */
const MAX_NAMES_KEPT = 16;
const MAX_RESPONDERS = 4096;

interface NameAnswers {
  first: number;
  names: Set<string>;
  evidence: Evidence[];
}
/** Stations named per burst (a broadcast deauthentication names none). */
const MAX_BURST_RECEIVERS = 64;

export class L2Detector {
  private readonly arp = new Map<string, Binding>();
  /** transmitter → the deauthentication burst in its current window */
  private readonly deauth = new Map<string, DeauthBurst>();
  /** VLAN → the IPv6 routers advertising there */
  private readonly routerLinks = new Map<number, RouterLink>();
  private readonly listedRouters: ReadonlySet<string>;
  private readonly listedV4Routers: ReadonlySet<string>;
  private readonly listedStpRoots: ReadonlySet<string>;
  /** VLAN → the Spanning Tree root its BPDUs named first */
  private readonly stpRoots = new Map<number, StpRoot>();
  /** VLAN|protocol|version|group → the HSRP group's active router, the VRRP virtual router's master */
  private readonly hsrpActive = new Map<string, HsrpActive>();
  /** VLAN → its BPDU flood window */
  private readonly stpBursts = new Map<string, StpBurst>();
  private readonly neighborBursts = new Map<string, NeighborBurst>();
  /** VLAN → the group-source frames of its current MAC flood window */
  private readonly macBursts = new Map<string, NeighborBurst>();
  /** VLAN → the new locally administered sources of its current unicast MAC flood window */
  private readonly macLocalBursts = new Map<string, LocalBurst>();
  /** VLAN → the DHCPv6 servers answering there */
  private readonly dhcp6 = new Map<number, Map<string, Dhcp6Server>>();
  /** Ethernet source → the other client hardware addresses it asked DHCP for in its current window */
  private readonly dhcpForged = new Map<string, DhcpClients>();
  /** VLAN → the clients that sent DISCOVERs in its current window */
  private readonly dhcpDiscovers = new Map<string, DhcpClients>();
  /** segment → the first server seen answering there */
  private readonly dhcp = new Map<string, DhcpServer>();
  /** network name → BSSID → what it announces */
  private readonly wifi = new Map<string, Map<string, AccessPoint>>();
  private readonly listedAps: ReadonlySet<string>;
  /** responder address → the names it answered with its own address in its current window */
  private readonly answers = new Map<string, NameAnswers>();
  /** MAC → its ARP, untagged and stacked-tag frames (first of each) */
  private readonly stations = new Map<string, StationFrames>();
  /** MAC → when a switch port (it sent a BPDU, or CDP/LLDP naming a switch) was last heard from it */
  private readonly switchPorts = new Map<string, number>();
  /** link (VLAN) → the first switch port heard on it, and its MAC */
  private readonly linkSwitches = new Map<number, { mac: string; evidence: Evidence }>();
  /** MAC|VLAN → a trunk request waiting for DTP_GRACE_SECS */
  private readonly trunkRequests = new Map<string, TrunkRequest>();
  /** Voice VLAN hopping: the voice VLANs, the phones, and hosts on both sides. */
  readonly voice: VoiceVlans;
  /** VTP domain name → its revision and updater */
  private readonly vtpDomains = new Map<string, VtpDomain>();
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.listedAps = new Set(ctx.cfg.wifiAccessPoints.map((m) => m.toLowerCase()));
    this.listedRouters = new Set(ctx.cfg.ipv6Routers.map((a) => a.toLowerCase()));
    this.listedV4Routers = new Set(ctx.cfg.ipv4Routers.map((a) => a.toLowerCase()));
    this.listedStpRoots = new Set(ctx.cfg.stpRootBridges.map((a) => a.toLowerCase()));
    this.voice = new VoiceVlans(ctx, (mac) => this.switchPorts.has(mac));
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type === 'arp.binding') {
      this.binding(ev, m);
      this.arpStation(ev, m);
    }
    else if (ev.type === 'ndp.binding') {
      // A non-overriding advertisement (anycast, proxy) changes no neighbor cache entry.
      if (ev.override !== false) this.binding(ev, m);
    } else if (ev.type === 'ndp.message' && ev.bad === undefined && ev.tunneled !== true) {
      if (ev.msg_type === 'router_advertisement') this.routerAdvert(ev, m);
      else if (ev.msg_type === 'redirect') this.redirect(ev, m);
    }
    else if (ev.type === 'icmp.message' && ev.bad === undefined && ev.tunneled !== true) {
      if (ev.msg_type === 'redirect') this.icmpRedirect(ev, m);
      else if (ev.msg_type === 'router_advertisement' && this.listedV4Routers.size > 0) this.irdpAdvert(ev, m);
    }
    else if (ev.type === 'stp.bpdu') {
      this.stpBurst(ev, m);
      this.bpdu(ev, m);
      this.switchPort(ev, m, 'stp.bridge_id', 'BPDU');
    }
    else if (ev.type === 'cdp.neighbor' || ev.type === 'lldp.neighbor') {
      this.neighborBurst(ev, m);
      this.voice.neighbor(ev, m);
      const caps = ev.type === 'cdp.neighbor' ? ev.capabilities : ev.enabled_capabilities ?? ev.capabilities;
      if (Array.isArray(caps) && caps.some((x) => typeof x === 'string' && SWITCH_CAPABILITY.test(x))) this.switchPort(ev, m, `${ev.type === 'cdp.neighbor' ? 'cdp' : 'lldp'}.capabilities`, ev.type === 'cdp.neighbor' ? 'CDP announcement' : 'LLDP announcement');
    }
    else if (ev.type === 'dtp.message') this.dtp(ev, m);
    else if (ev.type === 'vtp.message') this.vtp(ev, m);
    else if (ev.type === 'vlan.stacked') this.stackedTags(ev, m);
    else if (ev.type === 'eth.group_source') this.macFlood(ev, m);
    else if (ev.type === 'eth.local_source') this.macFloodLocal(ev, m);
    else if (ev.type === 'hsrp.message') this.hsrp(ev, c, m);
    else if (ev.type === 'vrrp.message' && ev.bad === undefined && ev.tunneled !== true) this.vrrp(ev, m);
    else if (ev.type === 'dhcp.message' && c !== null) this.dhcpMessage(ev, c, m);
    else if (ev.type === 'dhcpv6.message' && c !== null) this.dhcp6Message(ev, c, m);
    else if (ev.type === 'wlan.deauth') this.deauthFrame(ev, m);
    else if (ev.type === 'wlan.mgmt' && this.ctx.cfg.postureAlerts) this.announcement(ev, m);
    else if (ev.type === 'dns.transaction' && c !== null && (c.rPort === LLMNR_PORT || c.oPort === LLMNR_PORT)) this.llmnrAnswer(ev, c, m);
    else if (ev.type === 'nbns.name' && ev.is_response === true && ev.opcode_name === 'netbios-query') this.nbnsAnswer(ev, c, m);
  }

  /** An LLMNR answer: the responder is the unicast side on port 5355. */
  private llmnrAnswer(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const answers = Array.isArray(ev.answers) ? (ev.answers as unknown[]) : [];
    if (answers.length === 0 || typeof ev.query !== 'string' || ev.query === '') return;
    const resp = respAddr(c);
    const orig = origAddr(c);
    const responder = c.rPort === LLMNR_PORT && !LLMNR_GROUPS.has(resp) ? resp : c.oPort === LLMNR_PORT && !LLMNR_GROUPS.has(orig) ? orig : null;
    if (responder === null || !answers.includes(responder)) return;
    this.nameAnswer('LLMNR', responder, ev.query.toLowerCase(), ev, c, m);
  }

  /** A positive NetBIOS name query response naming the responder's own address. */
  private nbnsAnswer(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    const host = typeof ev.host === 'string' ? ev.host : '';
    if (host === '' || ev.addr !== host || ev.group === true || typeof ev.name !== 'string') return;
    this.nameAnswer('NBNS', host, ev.name.trim().toLowerCase(), ev, c, m);
  }

  private nameAnswer(proto: string, responder: string, name: string, ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const w = windowEntry(this.answers, responder, ts, cfg.poisonWindowSecs, MAX_RESPONDERS, () => ({ first: ts, names: new Set<string>(), evidence: [] }));
    if (w.evicted) this.evicted++;
    const a = w.entry;
    if (a.names.has(name) || a.names.size >= MAX_NAMES_KEPT) return;
    a.names.add(name);
    if (a.evidence.length < cfg.poisonNames) a.evidence.push(eventEvidence('name-answer', `${proto} answer for "${name}" with ${responder}`, proto === 'LLMNR' ? 'dns.answers' : 'nbns.addr', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (a.names.size < cfg.poisonNames) return;
    const names = [...a.names];
    this.ctx.book.observe({
      rule: 'name-poisoning',
      key: responder,
      device: this.ctx.deviceId(responder, null),
      peer: null,
      ts,
      why: `${responder} answered ${proto} name queries for ${names.length} different names with its own address (${names.slice(0, 5).map((n) => `"${n}"`).join(', ')}${names.length > 5 ? ' …' : ''}) within ${Math.round(cfg.poisonWindowSecs / 60)} minutes: a host answers only for its own name; Responder-style poisoning does this to collect the NTLM hashes of whoever connects`,
      evidence: a.evidence.slice(),
    });
  }

  /**
   * A beacon or probe response (the analyzer reports each distinct one once). Compared with the
   * other access points of its network name in both orders: the weaker one may come first.
   */
  private announcement(ev: AppEvent, m: PacketMeta): void {
    if (ev.kind !== 'beacon' && ev.kind !== 'probe_response') return;
    const ssid = typeof ev.ssid === 'string' ? ev.ssid : '';
    const bssid = String(ev.transmitter ?? '').toLowerCase();
    const security = String(ev.security ?? '');
    const rank = WIFI_SECURITY_RANK[security];
    if (ssid === '' || bssid === '' || rank === undefined) return;
    let net = this.wifi.get(ssid);
    if (net === undefined) {
      if (this.wifi.size >= MAX_WIFI_NETWORKS) {
        evictOldest(this.wifi);
        this.evicted++;
      }
      net = new Map();
      this.wifi.set(ssid, net);
    }
    const prev = net.get(bssid);
    if (prev !== undefined && prev.security === security) return;
    if (prev === undefined && net.size >= MAX_APS_PER_NETWORK) return;
    const e = eventEvidence('wifi-network', `${bssid} announces "${ssid}" (${security})`, `wlan.${String(ev.kind)}`, ev, null, m, this.ctx.file(m.fileIndex));
    const ap: AccessPoint = { security, rank, listed: this.listedAps.has(bssid), evidence: e };
    net.set(bssid, ap);
    for (const [other, o] of net) {
      if (other === bssid) continue;
      if (o.rank > rank) this.rogueAp('weaker', ssid, bssid, ap, other, o);
      else if (rank > o.rank) this.rogueAp('weaker', ssid, other, o, bssid, ap);
      if (this.listedAps.size > 0) {
        if (o.listed && !ap.listed) this.rogueAp('unlisted', ssid, bssid, ap, other, o);
        else if (ap.listed && !o.listed) this.rogueAp('unlisted', ssid, other, o, bssid, ap);
      }
    }
  }

  /** A rogue access point beside a legitimate one: `why` is weaker protection or an unlisted BSSID. */
  private rogueAp(why: 'weaker' | 'unlisted', ssid: string, rogue: string, r: AccessPoint, other: string, o: AccessPoint): void {
    this.ctx.book.observe({
      rule: 'rogue-ap',
      key: `${ssid}|${rogue}|${why}`,
      device: `mac:${rogue}`,
      peer: other,
      ts: Math.max(r.evidence.ts, o.evidence.ts),
      why:
        why === 'weaker'
          ? `${rogue} announces the network "${ssid}" with ${r.security === 'open' ? 'no encryption' : r.security} while ${other} announces it with ${o.security}: an evil twin (or a misconfigured access point) that stations may join without the network's protection`
          : `${rogue} announces the network "${ssid}" (${r.security}) of the site's access point ${other} but is not one of the configured wifiAccessPoints`,
      evidence: [r.evidence, o.evidence],
    });
  }

  /** The MAC ARP or Neighbor Discovery last bound `ip` to on `vlan` (-1: untagged), or null. */
  boundMac(vlan: number, ip: string): string | null {
    return this.arp.get(bindingSlot(vlan, ip))?.mac ?? null;
  }

  private binding(ev: AppEvent, m: PacketMeta): void {
    const ip = String(ev.ip ?? '');
    const mac = String(ev.mac ?? '').toLowerCase();
    if (ip === '' || ip === ARP_UNSPECIFIED || mac === '' || mac === '00:00:00:00:00:00') return;
    const nd = ev.type === 'ndp.binding';
    const e = eventEvidence(nd ? 'nd-binding' : 'arp-binding', `${ip} is-at ${mac}`, String(ev.source ?? 'arp'), ev, null, m, this.ctx.file(m.fileIndex));
    const slot = bindingSlot(m.vlan, ip);
    const prev = this.arp.get(slot);
    if (prev !== undefined && prev.mac !== mac && e.ts - prev.ts <= this.ctx.cfg.arpFlipWindowSecs) {
      const pair = [prev.mac, mac].sort().join('|');
      this.ctx.book.observe({
        rule: nd ? 'nd-spoofing' : 'arp-spoofing',
        key: `${ip}|${pair}`,
        device: `mac:${mac}`,
        peer: ip,
        ts: e.ts,
        why: `${ip} was claimed by ${mac} ${(e.ts - prev.ts).toFixed(3)} s after ${prev.mac} last claimed it: two stations answer for one address (${nd ? 'Neighbor Discovery spoofing' : 'ARP spoofing'}, or a duplicate address)`,
        evidence: [prev.evidence, e],
      });
    }
    if (prev === undefined && this.arp.size >= this.ctx.cfg.maxArpEntries) {
      evictOldest(this.arp);
      this.evicted++;
    }
    this.arp.set(slot, { mac, ts: e.ts, evidence: e });
  }

  /** A router advertisement a host would accept (the analyzer checked hop limit and source). */
  private routerAdvert(ev: AppEvent, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const mac = String(ev.lladdr ?? ev.mac_src).toLowerCase();
    const src = String(ev.src);
    const lifetime = typeof ev.router_lifetime === 'number' ? ev.router_lifetime : 0;
    const pref = String(ev.preference ?? 'medium');
    const prefixes = Array.isArray(ev.prefixes) ? (ev.prefixes as string[]) : [];
    const link = linkName(m.vlan);
    const what = `router advertisement from ${src} (${mac}): lifetime ${lifetime} s, preference ${pref}${prefixes.length > 0 ? `, prefixes ${prefixList(prefixes)}` : ''}`;
    const e = eventEvidence('router-advertisement', what, 'ndp.router_advertisement', ev, null, m, this.ctx.file(m.fileIndex));
    let l = this.routerLinks.get(m.vlan);
    if (l === undefined) {
      if (this.routerLinks.size >= MAX_ROUTER_LINKS) {
        this.evicted++;
        return;
      }
      l = { routers: new Map(), burstStart: e.ts, burst: new Set(), burstEvidence: null, burstRogues: new Set(), established: false };
      this.routerLinks.set(m.vlan, l);
    }
    // The flood: more distinct senders than any link has routers, within the window.
    if (e.ts - l.burstStart > cfg.raFloodWindowSecs) {
      l.burstStart = e.ts;
      l.burst.clear();
      l.burstEvidence = null;
      l.burstRogues.clear();
    }
    if (l.burst.size < cfg.raFloodRouters) {
      l.burst.add(`${mac}|${src}`);
      if (l.burstEvidence === null) l.burstEvidence = e;
    }
    if (l.burst.size >= cfg.raFloodRouters) {
      this.ctx.book.observe({
        rule: 'dos-flood',
        key: `ra|${m.vlan}`,
        device: `mac:${mac}`,
        peer: null,
        ts: e.ts,
        why: `router advertisement flood on ${link}: ${cfg.raFloodRouters} or more different routers advertised within ${cfg.raFloodWindowSecs} s (their addresses are forged); every IPv6 host of the link processes each one and adds the prefixes and routes they announce, which can exhaust its CPU and memory (flood_router26, CVE-2010-4669 on Windows)`,
        evidence: l.burstEvidence !== null && l.burstEvidence !== e ? [l.burstEvidence, e] : [e],
      });
      return;
    }
    const listed = this.listedRouters;
    if (listed.size > 0) {
      if (!listed.has(src) && !listed.has(mac)) this.rogueRouter(l, mac, `mac:${mac}`, link, null, e, `${src} (${mac}) sent a router advertisement on ${link} but is not one of the configured ipv6Routers (${[...listed].join(', ')}): hosts that take it route or address themselves through it`);
      return;
    }
    const known = l.routers.get(mac);
    if (known !== undefined) {
      l.established = true;
      for (const p of prefixes) if (known.prefixes.size < MAX_PREFIXES_PER_ROUTER) known.prefixes.add(p);
      return;
    }
    const rank = PREFERENCE_RANK[pref] ?? 1;
    const mine = (): Ipv6Router => ({ mac, src, prefixes: new Set(prefixes.slice(0, MAX_PREFIXES_PER_ROUTER)), preference: rank, evidence: e });
    const first = l.routers.values().next().value as Ipv6Router | undefined;
    // The link's routers: those heard before one of them repeated itself. Routers advertise
    // periodically (RFC 4861 §6.2.4, every 4 to 600 s by default), so all of a link's routers are
    // heard within one period wherever a capture starts: a primary with high preference and its
    // backup, two routers each with its own prefix. A router first heard only after that is new
    // to the link, and judged. (A flood's forged routers never repeat: they make no link
    // established, and the link's real routers, heard later, still join it.)
    if (first === undefined || !l.established) {
      if (l.routers.size < MAX_ROUTERS_PER_LINK) l.routers.set(mac, mine());
      return;
    }
    const offered = new Set<string>();
    let best = -1;
    for (const r of l.routers.values()) {
      for (const p of r.prefixes) offered.add(p);
      if (r.preference > best) best = r.preference;
    }
    const fresh = prefixes.filter((p) => !offered.has(p));
    if (fresh.length > 0) {
      this.rogueRouter(l, mac, `mac:${mac}`, link, first, e, `a second IPv6 router, ${src} (${mac}), advertised ${prefixList(fresh)} on ${link}, where ${first.src} (${first.mac}) advertises ${offered.size > 0 ? prefixList(offered) : 'no prefix'}: hosts configure addresses in the new prefix and send through it (a rogue router or one plugged in by mistake)`);
    } else if (lifetime > 0 && rank > best) {
      this.rogueRouter(l, mac, `mac:${mac}`, link, first, e, `a second IPv6 router, ${src} (${mac}), advertised itself on ${link} with default-router preference ${pref}, above ${first.src} (${first.mac}) and the link's other routers: hosts make it their default route, so their IPv6 traffic goes through it`);
    } else if (l.routers.size < MAX_ROUTERS_PER_LINK) {
      // Same prefixes, no higher preference: a redundant router of the link.
      l.routers.set(mac, mine());
    }
  }

  /**
   * An ND redirect (RFC 4861 §8): a router tells a host to send its traffic for a destination
   * through a better first hop (or straight to it, when the target is the destination itself).
   * A redirect to a first hop that is not one of the link's routers — listed, or advertising —
   * is how atk6-redir6 and similar tools reroute a victim through the attacker, and they forge
   * the real router's addresses, IP and Ethernet, to be believed: the target is what gives them
   * away. Judged only once the link's routers are known (from their advertisements or the list).
   */
  private redirect(ev: AppEvent, m: PacketMeta): void {
    const target = String(ev.target ?? '');
    const dest = String(ev.destination ?? '');
    if (target === '' || target === dest) return;
    const tmac = typeof ev.lladdr === 'string' ? ev.lladdr.toLowerCase() : '';
    const listed = this.listedRouters;
    let l = this.routerLinks.get(m.vlan);
    let first: Ipv6Router | null = null;
    if (listed.size > 0) {
      if (listed.has(target) || (tmac !== '' && listed.has(tmac))) return;
    } else {
      if (l === undefined || l.routers.size === 0) return;
      for (const r of l.routers.values()) if (r.src === target || (tmac !== '' && r.mac === tmac)) return;
      first = l.routers.values().next().value as Ipv6Router;
    }
    if (l === undefined) {
      if (this.routerLinks.size >= MAX_ROUTER_LINKS) {
        this.evicted++;
        return;
      }
      l = { routers: new Map(), burstStart: 0, burst: new Set(), burstEvidence: null, burstRogues: new Set(), established: false };
      this.routerLinks.set(m.vlan, l);
    }
    const link = linkName(m.vlan);
    const victim = String(ev.dst);
    const from = `${String(ev.src)} (${String(ev.mac_src)})`;
    const e = eventEvidence('nd-redirect', `redirect from ${from} to ${victim}: traffic for ${dest} through ${target}${tmac !== '' ? ` (${tmac})` : ''}`, 'ndp.redirect', ev, null, m, this.ctx.file(m.fileIndex));
    const who = tmac !== '' ? tmac : target;
    this.rogueRouter(l, who, tmac !== '' ? `mac:${tmac}` : `ip:${target}`, link, first, e, `an ICMPv6 redirect in the name of ${from} told ${victim} to send its traffic for ${dest} through ${target}${tmac !== '' ? ` (${tmac})` : ''}, which is not ${listed.size > 0 ? 'one of the configured ipv6Routers' : "one of the link's routers"}: the victim's traffic now goes through that host (an ND redirect attack such as atk6-redir6, which forges the real router's addresses)`);
  }

  /**
   * An ICMP redirect (RFC 792): only a host's current first-hop router may send one, and hosts
   * that accept it (Windows does by default) send the destination's traffic to the gateway it
   * names. Forged ones give the attacker the victim's traffic; tools such as hping3 put the real
   * router's IP address as the source but cannot change their own Ethernet address. So a
   * redirect is forged when the MAC it came from is not the one ARP bound to its source address
   * on that link; with ipv4Routers listed, a redirect to any other gateway is raised too. A
   * router's own redirect to another router of the link stays silent.
   */
  private icmpRedirect(ev: AppEvent, m: PacketMeta): void {
    const from = String(ev.src);
    const fromMac = String(ev.mac_src).toLowerCase();
    const gw = String(ev.gateway ?? '');
    const victim = String(ev.dst);
    const dest = String(ev.orig_dst ?? '');
    if (gw === '' || gw === dest) return;
    const bound = this.arp.get(bindingSlot(m.vlan, from));
    const forged = bound !== undefined && bound.mac !== fromMac;
    const listed = this.listedV4Routers;
    const gwMac = this.arp.get(bindingSlot(m.vlan, gw))?.mac;
    const unlisted = listed.size > 0 && !listed.has(gw) && (gwMac === undefined || !listed.has(gwMac));
    if (!forged && !unlisted) return;
    const link = linkName(m.vlan);
    const e = eventEvidence('icmp-redirect', `redirect from ${from} (${fromMac}) to ${victim}: traffic for ${dest} through ${gw}`, 'icmp.redirect', ev, null, m, this.ctx.file(m.fileIndex));
    const why = forged
      ? `an ICMP redirect in the name of ${from} came from ${fromMac}, but ${from} is at ${bound.mac} on ${link} (ARP): it told ${victim} to send its traffic for ${dest} through ${gw}${gwMac !== undefined ? ` (${gwMac})` : ''}. A forged redirect reroutes the victim's traffic through another host, a man in the middle`
      : `an ICMP redirect from ${from} (${fromMac}) told ${victim} to send its traffic for ${dest} through ${gw}${gwMac !== undefined ? ` (${gwMac})` : ''}, which is not one of the configured ipv4Routers (${[...listed].join(', ')}): the victim's traffic for that destination now goes through that host`;
    this.ctx.book.observe({
      rule: 'icmp-redirect',
      key: `${link}|${fromMac}|${gw}`,
      device: forged ? `mac:${fromMac}` : gwMac !== undefined ? `mac:${gwMac}` : this.ctx.deviceId(gw, null),
      peer: victim,
      ts: e.ts,
      why,
      evidence: forged ? [bound.evidence, e] : [e],
    });
  }

  /**
   * A configuration BPDU's root (802.1D §9.3.1: the lowest bridge identifier, priority first,
   * wins): the link's first named root is its root, and a BPDU naming a better one takes the
   * tree over — the bridges recompute their ports towards it. A root that fails is replaced by a
   * worse one, never a better one; a better root appears only when one is added on purpose or
   * by an attacker. With stpRootBridges listed, any other root is raised.
   */
  private bpdu(ev: AppEvent, m: PacketMeta): void {
    const id = typeof ev.root_id === 'string' ? ev.root_id : '';
    const rootMac = typeof ev.root_mac === 'string' ? ev.root_mac.toLowerCase() : '';
    if (id === '' || rootMac === '') return;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const link = linkName(vlan);
    const src = String(ev.mac_src).toLowerCase();
    const rank = (Number(ev.root_priority) || 0) + Number(id.split('/')[1] ?? 0);
    const e = eventEvidence('stp-bpdu', `BPDU from ${src}: root ${id}, root path cost ${String(ev.root_cost)}, bridge ${String(ev.bridge_id)}`, 'stp.root_id', ev, null, m, this.ctx.file(m.fileIndex));
    const listed = this.listedStpRoots;
    if (listed.size > 0) {
      if (!listed.has(rootMac)) this.stpClaim(vlan, src, rootMac, id, null, e, `${src} sent a BPDU on ${link} naming ${id} as the Spanning Tree root, which is not one of the configured stpRootBridges (${[...listed].join(', ')}): the switches that accept it send the link's traffic towards that bridge`);
      return;
    }
    const cur = this.stpRoots.get(vlan);
    if (cur === undefined) {
      if (this.stpRoots.size >= MAX_STP_LINKS) {
        this.evicted++;
        return;
      }
      this.stpRoots.set(vlan, { id, rank, mac: rootMac, evidence: e });
      return;
    }
    if (rank < cur.rank || (rank === cur.rank && rootMac < cur.mac)) {
      this.stpClaim(vlan, src, rootMac, id, cur, e, `${src} sent a BPDU on ${link} naming ${id} as the Spanning Tree root, better than the root ${cur.id} the link's BPDUs named before: the switches make it root and recompute their ports, so traffic crossing the tree goes towards it (a root takeover, as Yersinia's "claiming root role" does, or a switch plugged in with a low priority); the tree reconverging also interrupts traffic`);
    }
  }

  /**
   * A Spanning Tree flood: a link hears BPDUs from its one or two designated bridges every hello
   * time (2 s), and a topology change notification when a port changes state, repeated each hello
   * until acknowledged. Yersinia's DoS attacks send thousands a second, each from a made-up bridge:
   * notifications that make every bridge flush its MAC table and flood unicast traffic (which an
   * attacker then sniffs), or configuration BPDUs that each bridge's CPU must process.
   */
  private stpBurst(ev: AppEvent, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const src = String(ev.mac_src).toLowerCase();
    const tcn = ev.bpdu_type === 'tcn' || ev.tc === true;
    const what = (): Evidence => eventEvidence('stp-bpdu', `${String(ev.bpdu_type)} BPDU from ${src}${ev.tc === true ? ' (topology change)' : ''}`, 'stp.bpdu_type', ev, null, m, this.ctx.file(m.fileIndex));
    const w = windowEntry(this.stpBursts, String(vlan), ts, cfg.stpFloodWindowSecs, MAX_STP_LINKS, () => ({ first: ts, senders: new Set<string>(), tcns: 0, claims: new Set<string>(), evidence: what() }));
    if (w.evicted) this.evicted++;
    const b = w.entry;
    if (b.senders.size < cfg.stpFloodBridges) b.senders.add(src);
    if (tcn) b.tcns++;
    const many = b.senders.size >= cfg.stpFloodBridges;
    if (!many && b.tcns < cfg.stpFloodTcns) return;
    const link = linkName(vlan);
    const secs = (ts - b.first).toFixed(3);
    this.ctx.book.observe({
      rule: 'dos-flood',
      key: `stp|${vlan}`,
      device: `mac:${src}`,
      peer: null,
      ts,
      why: many
        ? `Spanning Tree BPDU flood on ${link}: ${b.senders.size} or more different bridges sent BPDUs within ${secs} s (a link hears one or two; the senders are made up)${b.tcns > 0 ? `, ${b.tcns} of them topology change notifications` : ''}: every bridge's CPU processes each one, and topology changes make the bridges flush their MAC tables and flood traffic to every port (Yersinia's Spanning Tree DoS attacks)`
        : `Spanning Tree BPDU flood on ${link}: ${b.tcns} topology change notifications within ${secs} s: each makes every bridge flush its MAC table and flood traffic to every port, where it can be sniffed`,
      evidence: [b.evidence, what()],
    });
  }

  /**
   * A CDP or LLDP flood: a device announces itself to its link every 60 s (CDP) or 30 s (LLDP), so
   * even a mirrored port with thousands of phones hears a few new announcers a second. Yersinia's
   * "flooding CDP table" sends thousands a second, each from a made-up device (random MAC and
   * device id), to fill the switches' neighbor tables and load their CPUs.
   */
  private neighborBurst(ev: AppEvent, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const cdp = ev.type === 'cdp.neighbor';
    const proto = cdp ? 'CDP' : 'LLDP';
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const src = String(ev.mac_src).toLowerCase();
    const name = cdp ? ev.device_id : ev.system_name;
    const what = (): Evidence => eventEvidence('neighbor-announcement', `${proto} announcement from ${src}${typeof name === 'string' ? ` as ${name}` : ''}`, cdp ? 'cdp.device_id' : 'lldp.system_name', ev, null, m, this.ctx.file(m.fileIndex));
    const w = windowEntry(this.neighborBursts, `${proto}|${vlan}`, ts, cfg.neighborFloodWindowSecs, MAX_STP_LINKS, () => ({ first: ts, senders: new Set<string>(), evidence: what() }));
    if (w.evicted) this.evicted++;
    const b = w.entry;
    if (b.senders.size < cfg.neighborFloodSenders) b.senders.add(src);
    if (b.senders.size < cfg.neighborFloodSenders) return;
    this.ctx.book.observe({
      rule: 'dos-flood',
      key: `${proto.toLowerCase()}|${vlan}`,
      device: `mac:${src}`,
      peer: null,
      ts,
      why: `${proto} flood on ${linkName(vlan)}: ${b.senders.size} or more different devices announced themselves within ${(ts - b.first).toFixed(3)} s (a device announces itself every ${cdp ? 60 : 30} s; these are made up): each announcement takes a place in the switches' neighbor tables and CPU time to process (Yersinia's "flooding CDP table")`,
      evidence: [b.evidence, what()],
    });
  }

  /**
   * A MAC flood: frames from group (multicast) Ethernet sources, which no station sends from,
   * from many different such addresses on one link within seconds. macof and its kin send
   * thousands a second from random sources (half of them group addresses) to fill the switches'
   * MAC tables, after which a switch floods every frame to every port, where it can be sniffed.
   */
  private macFlood(ev: AppEvent, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const src = String(ev.mac_src).toLowerCase();
    const what = (): Evidence => eventEvidence('group-source', `frame from the group address ${src}`, 'eth.src', ev, null, m, this.ctx.file(m.fileIndex));
    const w = windowEntry(this.macBursts, String(vlan), ts, cfg.macFloodWindowSecs, MAX_STP_LINKS, () => ({ first: ts, senders: new Set<string>(), evidence: what() }));
    if (w.evicted) this.evicted++;
    const b = w.entry;
    if (b.senders.size < cfg.macFloodSources) b.senders.add(src);
    if (b.senders.size < cfg.macFloodSources) return;
    this.ctx.book.observe({
      rule: 'mac-flood',
      key: String(vlan),
      device: `mac:${src}`,
      peer: null,
      ts,
      why: `MAC flood on ${linkName(vlan)}: frames from ${b.senders.size} or more different group (multicast) Ethernet addresses within ${(ts - b.first).toFixed(3)} s, which no station sends from — made-up sources, as macof draws them, to fill the switches' MAC tables; a switch whose table is full floods every frame to every port, where it can be sniffed`,
      evidence: [b.evidence, what()],
    });
  }

  /**
   * A MAC flood that keeps to unicast sources (mausezahn -a rand): many new locally administered
   * sources on one link within seconds, each sending one frame. Virtual machines, containers and
   * phones' private Wi-Fi addresses are locally administered too, and a busy hypervisor or Wi-Fi
   * segment brings many; but each of those sends many frames, so the share of the link's
   * locally administered frames that are a new source's first tells the two apart.
   */
  private macFloodLocal(ev: AppEvent, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const frames = typeof ev.frames === 'number' ? ev.frames : 0;
    const src = String(ev.mac_src).toLowerCase();
    const what = (): Evidence => eventEvidence('local-source', `first frame from the locally administered address ${src}`, 'eth.src', ev, null, m, this.ctx.file(m.fileIndex));
    const w = windowEntry(this.macLocalBursts, String(vlan), ts, cfg.macFloodWindowSecs, MAX_STP_LINKS, () => ({ first: ts, startFrames: frames - 1, sources: 0, evidence: what() }));
    if (w.evicted) this.evicted++;
    const b = w.entry;
    b.sources++;
    const sent = frames - b.startFrames;
    if (b.sources < cfg.macFloodLocalSources || b.sources < cfg.macFloodLocalShare * sent) return;
    this.ctx.book.observe({
      rule: 'mac-flood',
      key: String(vlan),
      device: `mac:${src}`,
      peer: null,
      ts,
      why: `MAC flood on ${linkName(vlan)}: ${b.sources} new locally administered Ethernet sources within ${(ts - b.first).toFixed(3)} s, ${b.sources} of the ${sent} frames those sources sent being a new source's first — made-up unicast sources sending one frame each, as mausezahn -a rand draws them, to fill the switches' MAC tables (virtual machines and phones' private Wi-Fi addresses are locally administered too, but each sends many frames); a switch whose table is full floods every frame to every port, where it can be sniffed`,
      evidence: [b.evidence, what()],
    });
  }

  /** A switch port spoke (a BPDU, or CDP/LLDP naming a switch): its trunk requests are a switch's. */
  private switchPort(ev: AppEvent, m: PacketMeta, field: string, what: string): void {
    const src = String(ev.mac_src).toLowerCase();
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : m.vlan;
    if (!this.switchPorts.has(src) && this.switchPorts.size >= MAX_SWITCH_PORTS) evictOldest(this.switchPorts);
    this.switchPorts.set(src, m.ts);
    if (!this.linkSwitches.has(vlan) && this.linkSwitches.size < MAX_STP_LINKS) this.linkSwitches.set(vlan, { mac: src, evidence: eventEvidence('switch-port', `${what} from the switch port ${src}`, field, ev, null, m, this.ctx.file(m.fileIndex)) });
    if (this.trunkRequests.size > 0) this.trunkRequests.delete(`${src}|${vlan}`);
  }

  private station(mac: string): StationFrames {
    let st = this.stations.get(mac);
    if (st === undefined) {
      if (this.stations.size >= this.ctx.cfg.maxArpEntries) {
        evictOldest(this.stations);
        this.evicted++;
      }
      st = { arp: null, arpIp: '', untagged: null, stacked: null };
      this.stations.set(mac, st);
    }
    return st;
  }

  /** An ARP packet: its sender is an end host; untagged, it is what double tagging is compared with. */
  private arpStation(ev: AppEvent, m: PacketMeta): void {
    const mac = String(ev.mac ?? '').toLowerCase();
    const ip = String(ev.ip ?? '');
    if (mac === '' || mac === '00:00:00:00:00:00' || m.srcMac === 0 || formatMac(m.srcMac) !== mac) return;
    const what = (): Evidence => eventEvidence('arp-binding', `ARP from ${mac} for ${ip === ARP_UNSPECIFIED ? 'no address (a probe)' : ip}${m.vlan >= 0 ? ` on VLAN ${m.vlan}` : ', untagged'}`, String(ev.source ?? 'arp'), ev, null, m, this.ctx.file(m.fileIndex));
    this.voice.frame(mac, m.vlan, ip, false, what);
    const first = this.stations.get(mac);
    if (first !== undefined && first.arp !== null && (first.untagged !== null || m.vlan >= 0)) return;
    const st = first ?? this.station(mac);
    const e = what();
    if (st.arp === null) {
      st.arp = e;
      st.arpIp = ip;
    }
    if (m.vlan < 0 && st.untagged === null) {
      st.untagged = e;
      if (st.stacked !== null) this.vlanHop(mac, st.untagged, st.stacked);
    }
    if (this.trunkRequests.size > 0) {
      for (const [k, r] of this.trunkRequests) {
        if (r.mac !== mac) continue;
        this.trunkRequests.delete(k);
        this.switchSpoof(r, e, `is an end host, not a switch port: it sent ARP for ${ip}`);
      }
    }
  }

  /** Two 802.1Q tags on one frame (the engine's vlan.stacked, once per MAC and tag pair). */
  private stackedTags(ev: AppEvent, m: PacketMeta): void {
    const mac = String(ev.mac_src).toLowerCase();
    const st = this.station(mac);
    if (st.stacked !== null) return;
    st.stacked = eventEvidence('stacked-tags', `frame from ${mac} tagged VLAN ${String(ev.vlan)} outside, VLAN ${String(ev.inner_vlan)} inside`, 'vlan.inner_vlan', ev, null, m, this.ctx.file(m.fileIndex));
    if (st.untagged !== null) this.vlanHop(mac, st.untagged, st.stacked);
  }

  private vlanHop(mac: string, untagged: Evidence, stacked: Evidence): void {
    this.ctx.book.observe({
      rule: 'vlan-hopping',
      key: mac,
      device: `mac:${mac}`,
      peer: null,
      ts: Math.max(untagged.ts, stacked.ts),
      why: `${mac} sent a frame with two 802.1Q tags (${stacked.value.replace(/^frame from \S+ /, '')}) and also untagged ones: a host on an access port adding tags itself. The access switch strips the outer tag, its native VLAN, and the next switch forwards the frame into the inner VLAN, which the host has no access to (VLAN hopping by double tagging, as Yersinia's "sending 802.1Q double enc. packet" does). A provider's Q-in-Q link tags every frame of a MAC`,
      evidence: [untagged, stacked],
    });
  }

  /**
   * A DTP advertisement. Only modes desirable and on ask the other end for a trunk (auto waits to
   * be asked): from a switch port that is how two switches agree; from anything else it is
   * switch spoofing.
   */
  private dtp(ev: AppEvent, m: PacketMeta): void {
    const mode = ev.trunk_mode;
    if (mode !== 'desirable' && mode !== 'on') return;
    const mac = String(ev.mac_src).toLowerCase();
    if (this.switchPorts.has(mac)) return;
    const vlan = typeof ev.vlan === 'number' ? ev.vlan : -1;
    const key = `${mac}|${vlan}`;
    if (this.trunkRequests.has(key)) return;
    const sender = typeof ev.sender_id === 'string' && ev.sender_id !== mac ? ` (sender id ${ev.sender_id})` : '';
    const what = `trunk mode ${mode}, status ${String(ev.trunk_status)}${typeof ev.trunk_encapsulation === 'string' ? `, ${ev.trunk_encapsulation} encapsulation` : ''}`;
    const e = eventEvidence('dtp-request', `DTP from ${mac}${sender}: ${what}`, 'dtp.trunk_mode', ev, null, m, this.ctx.file(m.fileIndex));
    const r: TrunkRequest = { mac, vlan, what, deadline: m.ts + DTP_GRACE_SECS, evidence: e };
    const st = this.stations.get(mac);
    if (st !== undefined && st.arp !== null) {
      this.switchSpoof(r, st.arp, `is an end host, not a switch port: it sent ARP for ${st.arpIp}`);
      return;
    }
    if (this.trunkRequests.size >= MAX_TRUNK_REQUESTS) return;
    this.trunkRequests.set(key, r);
  }

  /**
   * Trunk requests whose grace has passed (all of them at the end of input), at the monitor's
   * housekeeping: raised when their link's switch is known and it was another MAC; a link where
   * no switch spoke cannot tell. The alert is dated by its evidence, not by when this runs.
   */
  resolveTrunkRequests(now: number, all: boolean): void {
    for (const [k, r] of this.trunkRequests) {
      if (!all && r.deadline > now) continue;
      this.trunkRequests.delete(k);
      const sw = this.linkSwitches.get(r.vlan);
      if (sw !== undefined) this.switchSpoof(r, sw.evidence, `is not the link's switch port (${sw.mac} is): it sent no BPDU, nor CDP or LLDP naming a switch, within ${DTP_GRACE_SECS} s`);
    }
  }

  private switchSpoof(r: TrunkRequest, other: Evidence, who: string): void {
    this.ctx.book.observe({
      rule: 'switch-spoofing',
      key: `${r.vlan}|${r.mac}`,
      device: `mac:${r.mac}`,
      peer: null,
      ts: Math.max(r.evidence.ts, other.ts),
      why: `${r.mac} asked for a trunk on ${linkName(r.vlan)} (DTP ${r.what}) and ${who}. A switch port in dynamic mode that agrees becomes a trunk and carries every VLAN to it, past the segmentation between them (switch spoofing, as Yersinia's "enabling trunking" does)`,
      evidence: [other, r.evidence].sort((a, b) => a.ts - b.ts),
    });
  }

  /**
   * A VTP summary or subset advertisement. Switches take a summary's revision when it is higher
   * than theirs, whoever sent it, and then the subset's VLAN list: the domain's revision moves up
   * by one with each change its server makes (same updater), and a lower one is ignored.
   */
  private vtp(ev: AppEvent, m: PacketMeta): void {
    const domain = typeof ev.domain === 'string' ? ev.domain : '';
    const rev = typeof ev.revision === 'number' ? ev.revision : -1;
    if (rev < 0 || (ev.code !== 'summary' && ev.code !== 'subset')) return;
    const mac = String(ev.mac_src).toLowerCase();
    const file = this.ctx.file(m.fileIndex);
    let d = this.vtpDomains.get(domain);
    if (ev.code === 'summary') {
      const updater = typeof ev.updater === 'string' ? ev.updater : '';
      const e = eventEvidence('vtp-summary', `VTP summary from ${mac} for domain "${domain}": revision ${rev}, updater ${updater}`, 'vtp.revision', ev, null, m, file);
      if (d === undefined) {
        if (this.vtpDomains.size >= MAX_VTP_DOMAINS) return;
        this.vtpDomains.set(domain, { revision: rev, updater, evidence: e, vlans: null, takeover: null });
        return;
      }
      if (rev <= d.revision) {
        // The summary of the revision a subset came in first names its updater.
        if (rev === d.revision && d.updater === '') Object.assign(d, { updater, evidence: e });
        return;
      }
      if (updater === d.updater || d.updater === '') {
        Object.assign(d, { revision: rev, updater, evidence: e, takeover: null });
        return;
      }
      const why = `${mac} sent a VTP summary for domain "${domain}" at configuration revision ${rev}, above the domain's ${d.revision} made by updater ${d.updater}, naming another updater (${updater}): every switch of the domain in server or client mode takes the higher revision and replaces its VLAN database with the subset advertisement that follows (a switch with a higher revision plugged in, or Yersinia's VTP attacks deleting or adding VLANs)`;
      this.ctx.book.observe({ rule: 'vtp-takeover', key: domain, device: `mac:${mac}`, peer: null, ts: e.ts, why, evidence: [d.evidence, e] });
      Object.assign(d, { revision: rev, updater, evidence: e, takeover: { mac, why } });
      return;
    }
    const ids = Array.isArray(ev.vlans) ? (ev.vlans as { id: number }[]).map((v) => v.id) : [];
    if (d === undefined) {
      if (this.vtpDomains.size >= MAX_VTP_DOMAINS) return;
      d = { revision: rev, updater: '', evidence: eventEvidence('vtp-subset', `VTP subset from ${mac} for domain "${domain}": revision ${rev}`, 'vtp.vlans', ev, null, m, file), vlans: null, takeover: null };
      this.vtpDomains.set(domain, d);
    }
    if (rev < d.revision) return;
    const before = d.vlans;
    d.vlans = ids;
    if (d.takeover === null || rev !== d.revision) return;
    const now = new Set(ids);
    const gone = before === null ? [] : before.filter((v) => !now.has(v));
    const onlyDefaults = ids.every((v) => VTP_DEFAULT_VLANS.has(v));
    if (gone.length === 0 && !onlyDefaults) return;
    const what = gone.length > 0
      ? `, and its subset advertisement deletes ${gone.length} VLAN${gone.length === 1 ? '' : 's'} the domain had (${gone.slice(0, 8).join(', ')}${gone.length > 8 ? ' …' : ''}): their ports go inactive, and the devices on them off the network`
      : `, and its subset advertisement holds only the default VLANs (${ids.join(', ')}): every other VLAN of the domain is deleted, its ports go inactive, and the devices on them off the network`;
    const e = eventEvidence('vtp-subset', `VTP subset from ${mac} for domain "${domain}": revision ${rev}, VLANs ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ' …' : ''}`, 'vtp.vlans', ev, null, m, file);
    this.ctx.book.observe({ rule: 'vtp-takeover', key: domain, device: `mac:${d.takeover.mac}`, peer: null, ts: e.ts, why: d.takeover.why + what, evidence: [e], severity: 'critical' });
  }

  private stpClaim(vlan: number, src: string, rootMac: string, id: string, cur: StpRoot | null, e: Evidence, why: string): void {
    // Past a handful per window, or once the link is flooded, new roots only count towards the flood.
    const b = this.stpBursts.get(String(vlan));
    if (b !== undefined) {
      if (b.senders.size >= this.ctx.cfg.stpFloodBridges) return;
      if (!b.claims.has(rootMac)) {
        if (b.claims.size >= MAX_ROGUES_PER_WINDOW) return;
        b.claims.add(rootMac);
      }
    }
    this.ctx.book.observe({
      rule: 'stp-root-claim',
      key: `${vlan}|${rootMac}`,
      device: `mac:${src}`,
      peer: null,
      ts: e.ts,
      why,
      evidence: cur !== null ? [cur.evidence, e] : [e],
    });
  }

  /**
   * An HSRP message claiming the active role (RFC 2281 §5: a hello in the active state, or a
   * coup). The active router answers for the group's virtual address, the hosts' gateway.
   * Yersinia announces itself active with priority 255.
   */
  private hsrp(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.state !== 'active' && ev.opcode !== 'coup') return;
    const priority = typeof ev.priority === 'number' ? ev.priority : 0;
    const e = eventEvidence('hsrp-active', `HSRP ${String(ev.opcode)} from ${String(ev.router)} (${String(ev.mac_src)}): active for group ${String(ev.group)} (${String(ev.virtual_ip)}), priority ${priority}`, 'hsrp.state', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.gatewayClaim('HSRP', `hsrp|${String(ev.version)}|${String(ev.group)}`, `the HSRP active role for group ${String(ev.group)}`, String(ev.virtual_ip), String(ev.router), String(ev.mac_src).toLowerCase(), priority, e, m, 'Yersinia\'s "becoming ACTIVE router" does');
  }

  /**
   * A VRRP advertisement (RFC 5798 §6.4.3): only the master of a virtual router sends them, so
   * every one is a claim of the master role; priority 0 is a master stepping down.
   */
  private vrrp(ev: AppEvent, m: PacketMeta): void {
    const priority = typeof ev.priority === 'number' ? ev.priority : 0;
    if (priority === 0) return;
    const addrs = Array.isArray(ev.addresses) ? (ev.addresses as string[]).join(', ') : '';
    const e = eventEvidence('vrrp-master', `VRRP advertisement from ${String(ev.router)} (${String(ev.mac_src)}): master of virtual router ${String(ev.vrid)} (${addrs}), priority ${priority}`, 'vrrp.priority', ev, null, m, this.ctx.file(m.fileIndex));
    this.gatewayClaim('VRRP', `vrrp|${String(ev.version)}|${String(ev.vrid)}`, `the VRRP master role of virtual router ${String(ev.vrid)}`, addrs, String(ev.router), String(ev.mac_src).toLowerCase(), priority, e, m, 'a router started with a higher priority and preemption does');
  }

  /**
   * A router claiming a redundancy group's gateway role. The group's first claimant holds it; a
   * router takes the role over only with a higher priority (preemption), and a failover hands it
   * to a lower one. With ipv4Routers listed, any unlisted claimant is raised.
   */
  private gatewayClaim(proto: string, group: string, role: string, vip: string, router: string, mac: string, priority: number, e: Evidence, m: PacketMeta, how: string): void {
    const link = linkName(m.vlan);
    const listed = this.listedV4Routers;
    const observe = (first: HsrpActive | null, why: string): void => {
      this.ctx.book.observe({ rule: 'gateway-takeover', key: `${group}|${m.vlan}|${mac}`, device: `mac:${mac}`, peer: first !== null ? first.router : null, ts: e.ts, why, evidence: first !== null ? [first.evidence, e] : [e] });
    };
    if (listed.size > 0) {
      if (!listed.has(router) && !listed.has(mac)) observe(null, `${router} (${mac}) claimed ${role} on ${link}, gateway address ${vip}, but is not one of the configured ipv4Routers (${[...listed].join(', ')}): hosts' traffic to their gateway goes to it`);
      return;
    }
    const key = `${m.vlan}|${group}`;
    const cur = this.hsrpActive.get(key);
    if (cur === undefined) {
      if (this.hsrpActive.size >= MAX_HSRP_GROUPS) {
        this.evicted++;
        return;
      }
      this.hsrpActive.set(key, { router, mac, priority, evidence: e });
      return;
    }
    if (cur.mac === mac || priority <= cur.priority) return;
    observe(cur, `${router} (${mac}) claimed ${role} on ${link}, gateway address ${vip}, with priority ${priority}, above the ${proto === 'HSRP' ? 'active router' : 'master'} ${cur.router} (${cur.mac}, priority ${cur.priority}): hosts' traffic to their gateway now goes to it (a takeover, as ${how}, or a router added with a higher priority and preemption)`);
  }

  /** An ICMP router advertisement (RFC 1256) naming a router not in ipv4Routers. */
  private irdpAdvert(ev: AppEvent, m: PacketMeta): void {
    const listed = this.listedV4Routers;
    const routers = Array.isArray(ev.routers) ? (ev.routers as string[]) : [];
    const prefs = Array.isArray(ev.preferences) ? (ev.preferences as number[]) : [];
    const mac = String(ev.mac_src).toLowerCase();
    if (listed.has(mac)) return;
    const link = linkName(m.vlan);
    for (let i = 0; i < routers.length; i++) {
      const a = routers[i];
      // RFC 1256 §3: the lowest preference (0x80000000) means "never use as a default router".
      if (listed.has(a) || prefs[i] === -0x80000000) continue;
      const e = eventEvidence('router-advertisement', `ICMP router advertisement from ${String(ev.src)} (${mac}): ${a} preference ${prefs[i] ?? '?'}, lifetime ${String(ev.lifetime ?? '?')} s`, 'icmp.router_advertisement', ev, null, m, this.ctx.file(m.fileIndex));
      this.ctx.book.observe({
        rule: 'rogue-router',
        key: `${link}|${mac}`,
        device: `mac:${mac}`,
        peer: null,
        ts: e.ts,
        why: `${String(ev.src)} (${mac}) advertised ${a} as a default router by ICMP router discovery (RFC 1256) on ${link}, which is not one of the configured ipv4Routers (${[...listed].join(', ')}): hosts that listen to router discovery (older Windows does) route through it`,
        evidence: [e],
      });
      return;
    }
  }

  private rogueRouter(l: RouterLink, who: string, device: string, link: string, first: Ipv6Router | null, e: Evidence, why: string): void {
    if (!l.burstRogues.has(who)) {
      if (l.burstRogues.size >= MAX_ROGUES_PER_WINDOW) return;
      l.burstRogues.add(who);
    }
    this.ctx.book.observe({
      rule: 'rogue-router',
      key: `${link}|${who}`,
      device,
      peer: first !== null ? first.src : null,
      ts: e.ts,
      why,
      evidence: first === null ? [e] : [first.evidence, e],
    });
  }

  private deauthFrame(ev: AppEvent, m: PacketMeta): void {
    const tx = String(ev.transmitter ?? '');
    const rx = String(ev.receiver ?? '');
    if (tx === '') return;
    const cfg = this.ctx.cfg;
    const e = eventEvidence(String(ev.kind ?? 'deauth'), `${tx} → ${rx} reason ${String(ev.reason ?? '?')}`, `wlan.${String(ev.kind ?? 'deauth')}`, ev, null, m, this.ctx.file(m.fileIndex));
    // One entry per transmitting MAC, bounded like the ARP table (one per address).
    const w = windowEntry(this.deauth, tx, e.ts, cfg.deauthWindowSecs, cfg.maxArpEntries, () => ({ first: e.ts, count: 0, receivers: new Set<string>(), evidence: e }));
    if (w.evicted) this.evicted++;
    const b = w.entry;
    b.count++;
    if (rx !== BROADCAST && b.receivers.size < MAX_BURST_RECEIVERS) b.receivers.add(rx);
    if (b.count < cfg.deauthThreshold) return;
    const who = b.receivers.size > 0 ? `${b.receivers.size} station${b.receivers.size > 1 ? 's' : ''} (${[...b.receivers].sort().slice(0, 4).join(', ')}${b.receivers.size > 4 ? ' …' : ''})` : 'every station (broadcast)';
    this.ctx.book.observe({
      rule: 'wifi-deauth',
      key: tx,
      device: `mac:${tx}`,
      peer: b.receivers.size === 1 ? [...b.receivers][0] : null,
      ts: e.ts,
      count: b.count,
      why: `${b.count} deauthentication/disassociation frames in ${(e.ts - b.first).toFixed(1)} s in the name of ${tx}, to ${who}: a deauthentication flood knocks stations off the network (the sender address is forged unless 802.11w protects the network)`,
      evidence: [b.evidence, e],
    });
  }

  private dhcpMessage(ev: AppEvent, c: Conn, m: PacketMeta): void {
    if (ev.from_client === true) {
      this.dhcpClient(ev, c, m);
      return;
    }
    if (ev.from_client !== false || !DHCP_SERVER_TYPES.has(String(ev.msg_type))) return;
    const sender = ev.is_orig === true ? origAddr(c) : respAddr(c);
    const senderMac = ev.is_orig === true ? c.origMac : c.respMac;
    const id = typeof ev.server_id === 'string' && ev.server_id !== '' ? ev.server_id : sender;
    const mac = senderMac === 0 ? null : formatMac(senderMac);
    const offered = typeof ev.yiaddr === 'string' && ev.yiaddr !== '0.0.0.0' ? ev.yiaddr : typeof ev.giaddr === 'string' && ev.giaddr !== '0.0.0.0' ? ev.giaddr : sender;
    const seg = segmentOf(offered, c.vlan);
    const e = eventEvidence('dhcp-server', `${ev.msg_type} from server ${id}${mac !== null ? ' (' + mac + ')' : ''} for ${seg}`, 'dhcp.server_id', ev, c, m, eventFile(this.ctx, ev, c, m));
    if (Array.isArray(ev.classless_routes)) this.dhcpRoutes(ev, c, m, id, mac, offered);
    const allowed = this.ctx.cfg.dhcpServers;
    if (allowed.length > 0) {
      if (!allowed.includes(id)) this.rogue(id, mac, null, seg, e, `DHCP server ${id} answered (${ev.msg_type}) on ${seg} but is not one of the configured servers (${allowed.join(', ')})`);
      return;
    }
    const first = this.dhcp.get(seg);
    if (first === undefined) {
      if (this.dhcp.size < MAX_DHCP_SEGMENTS) this.dhcp.set(seg, { id, mac, evidence: e });
      return;
    }
    if (first.id !== id) {
      this.rogue(id, mac, first, seg, e, `a second DHCP server, ${id}, answered (${ev.msg_type}) on ${seg} where ${first.id} already serves: a rogue server can hand out a hostile gateway or DNS`);
    }
  }

  /**
   * Classless static routes a DHCP server hands out (option 121, RFC 3442), which a client takes
   * over its default router: one that covers half the address space or more at once (a width
   * under 8: 0.0.0.0/1 and 128.0.0.0/1 outrank any default route) or leads to addresses outside
   * the site's networks sends the client's traffic for them to that router — past a VPN's tunnel
   * too, which routes through the default route (TunnelVision, CVE-2024-3661). A site's own
   * routes lead to its own networks.
   */
  private dhcpRoutes(ev: AppEvent, c: Conn, m: PacketMeta, id: string, mac: string | null, client: string): void {
    const bad: string[] = [];
    let wide = false;
    for (const r of ev.classless_routes as unknown[]) {
      const mm = typeof r === 'string' ? /^(\d+\.\d+\.\d+\.\d+)\/(\d+) via /.exec(r) : null;
      const width = mm === null ? 0 : Number(mm[2]);
      if (width === 0) continue;
      if (width < 8) wide = true;
      else if (this.ctx.internal.hasAddr(mm![1])) continue;
      bad.push(r as string);
    }
    if (bad.length === 0) return;
    const all = ev.classless_routes as string[];
    this.ctx.book.observe({
      rule: 'dhcp-route-injection',
      key: `${id}|${bad.join(',')}`,
      device: mac !== null ? `mac:${mac}` : this.ctx.deviceId(id, null),
      peer: client,
      ts: m.ts,
      why: `DHCP server ${id}${mac !== null ? ` (${mac})` : ''} gave ${client} classless static routes (option 121) ${bad.join(', ')}${all.length > bad.length ? ` among ${all.length}` : ''}: ${wide ? 'routes that wide outrank the default route, so all of the client\'s traffic for them goes to that router' : 'routes to addresses outside the site\'s networks send the client\'s traffic for them to that router instead of its default gateway'}, a VPN's traffic included, since the tunnel is reached through the default route (TunnelVision, CVE-2024-3661)`,
      evidence: [eventEvidence('dhcp-routes', `${String(ev.msg_type)} from ${id} with option 121: ${all.join(', ')}`, 'dhcp.option121', ev, c, m, eventFile(this.ctx, ev, c, m))],
    });
  }

  /**
   * A client's DISCOVER or REQUEST, for DHCP starvation (RFC 2131 §4.1: chaddr is the client's own
   * hardware address): a tool that takes a server's whole pool asks for one lease per made-up
   * client. dhcpstarv sends them from its own Ethernet address with other chaddrs, which a client
   * never does (a relay does, but marks itself in giaddr); Yersinia forges the Ethernet source
   * too, and then only the number of different clients asking on one link gives it away — more
   * than a /24's pool within a minute, which no floor of devices booting together reaches.
   */
  private dhcpClient(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const type = String(ev.msg_type);
    if (type !== 'DISCOVER' && type !== 'REQUEST') return;
    if (typeof ev.giaddr === 'string' && ev.giaddr !== '' && ev.giaddr !== '0.0.0.0') return;
    const chaddr = String(ev.mac ?? '').toLowerCase();
    if (chaddr === '' || m.srcMac === 0) return;
    const src = formatMac(m.srcMac);
    if (chaddr === src) {
      const asked = typeof ev.requested_addr === 'string' ? ev.requested_addr : '';
      this.voice.frame(src, m.vlan, asked, true, () => eventEvidence('dhcp-request', `DHCP ${type} from ${src}${asked !== '' ? ` for ${asked}` : ''}${m.vlan >= 0 ? ` on VLAN ${m.vlan}` : ', untagged'}`, 'dhcp.msg_type', ev, c, m, eventFile(this.ctx, ev, c, m)));
    }
    const cfg = this.ctx.cfg;
    const ts = m.ts;
    const link = linkName(m.vlan);
    const what = (): Evidence => eventEvidence('dhcp-request', `${type} from ${src} for client ${chaddr}`, 'dhcp.mac', ev, c, m, eventFile(this.ctx, ev, c, m));
    if (chaddr !== src) {
      const w = windowEntry(this.dhcpForged, `${m.vlan}|${src}`, ts, cfg.dhcpStarvationWindowSecs, cfg.maxArpEntries, () => ({ first: ts, clients: new Set<string>(), evidence: what() }));
      if (w.evicted) this.evicted++;
      const x = w.entry;
      if (x.clients.size < cfg.dhcpStarvationClients) x.clients.add(chaddr);
      if (x.clients.size >= cfg.dhcpStarvationClients) {
        const shown = [...x.clients].slice(0, 4).join(', ');
        this.ctx.book.observe({
          rule: 'dhcp-starvation',
          key: `forged|${link}|${src}`,
          device: `mac:${src}`,
          peer: null,
          ts,
          why: `${src} sent DHCP requests on ${link} for ${x.clients.size} or more client hardware addresses that are not its own (${shown} …) within ${cfg.dhcpStarvationWindowSecs} s, without the relay address a relay agent sets: one lease per made-up client takes the server's address pool (DHCP starvation, as dhcpstarv does), leaving real devices without an address`,
          evidence: [x.evidence, what()],
        });
      }
    }
    if (type !== 'DISCOVER') return;
    const w = windowEntry(this.dhcpDiscovers, String(m.vlan), ts, cfg.dhcpStarvationWindowSecs, MAX_STARVATION_LINKS, () => ({ first: ts, clients: new Set<string>(), evidence: what() }));
    if (w.evicted) this.evicted++;
    const x = w.entry;
    if (x.clients.size >= cfg.dhcpStarvationDiscovers) return;
    x.clients.add(chaddr);
    if (x.clients.size < cfg.dhcpStarvationDiscovers) return;
    this.ctx.book.observe({
      rule: 'dhcp-starvation',
      key: `burst|${link}`,
      device: `mac:${src}`,
      peer: null,
      ts,
      why: `${x.clients.size} different clients sent DHCP DISCOVERs on ${link} within ${(ts - x.first).toFixed(1)} s: more than a /24's address pool, faster than devices booting together ask; a starvation tool that forges each request's Ethernet source too (as Yersinia does) takes the server's whole pool this way`,
      evidence: [x.evidence, what()],
    });
  }

  /**
   * A DHCPv6 server's ADVERTISE or REPLY. Rogue when servers are configured and it is none of
   * them (by address or DUID), or, whatever the configuration, when the DNS servers it hands out
   * are its own address or link-local ones: mitm6's DNS takeover (it answers Windows hosts'
   * DHCPv6 solicits on networks that run none, naming itself as resolver, then answers WPAD and
   * other names to relay NTLM logins). A real DHCPv6 service names the site's resolvers.
   */
  private dhcp6Message(ev: AppEvent, c: Conn, m: PacketMeta): void {
    if (ev.msg_type !== 'ADVERTISE' && ev.msg_type !== 'REPLY') return;
    // The server's answer goes to the client's link-local address: its own flow, or the reply
    // direction of the client's when that was unicast.
    const sender = ev.is_orig === true ? origAddr(c) : respAddr(c);
    const senderMac = ev.is_orig === true ? c.origMac : c.respMac;
    const mac = senderMac === 0 ? null : formatMac(senderMac);
    const duid = typeof ev.server_duid === 'string' ? ev.server_duid : '';
    const dns = Array.isArray(ev.dns_servers) ? (ev.dns_servers as string[]) : [];
    const seg = `the IPv6 link${c.vlan > 0 ? ` of VLAN ${c.vlan}` : ''}`;
    const e = eventEvidence('dhcp-server', `DHCPv6 ${String(ev.msg_type)} from ${sender}${mac !== null ? ` (${mac})` : ''}${dns.length > 0 ? ` offering DNS ${dns.join(', ')}` : ''}`, 'dhcpv6.dns_servers', ev, c, m, eventFile(this.ctx, ev, c, m));
    const allowed = this.ctx.cfg.dhcpServers;
    const own = dns.filter((a) => a === sender || v6LinkLocal(a));
    if (own.length > 0) {
      this.rogue(sender, mac, null, seg, e, `DHCPv6 server ${sender} answered (${String(ev.msg_type)}) offering ${own.includes(sender) ? 'its own address' : 'a link-local address'} (${own.join(', ')}) as DNS server: a DHCPv6 DNS takeover (mitm6) — the hosts that take it resolve names through this host, which can then answer WPAD and file-server names and relay their NTLM logins`);
      return;
    }
    if (allowed.length > 0) {
      if (!allowed.includes(sender) && (duid === '' || !allowed.includes(duid))) {
        this.rogue(sender, mac, null, seg, e, `DHCPv6 server ${sender} answered (${String(ev.msg_type)}) but is not one of the configured servers (${allowed.join(', ')})`);
      }
      return;
    }
    // Without a list: the link's first server, and partners that hand out the same prefixes
    // and resolvers (a split scope, a failover pair), are the link's service; a server handing
    // out another prefix or another resolver is not one of them.
    const offers: string[] = [];
    for (const a of Array.isArray(ev.addresses) ? (ev.addresses as string[]) : []) {
      const p = prefix64(a);
      if (p !== null && !offers.includes(p)) offers.push(p);
    }
    for (const p of Array.isArray(ev.prefixes) ? (ev.prefixes as string[]) : []) if (!offers.includes(p)) offers.push(p);
    if (offers.length === 0 && dns.length === 0) return;
    const id = duid !== '' ? duid : sender;
    let link = this.dhcp6.get(c.vlan);
    if (link === undefined) {
      if (this.dhcp6.size >= MAX_DHCP_SEGMENTS) return;
      link = new Map();
      this.dhcp6.set(c.vlan, link);
    }
    const known = link.get(id);
    if (known !== undefined) {
      for (const p of offers) if (known.offers.size < MAX_DHCP6_OFFERS) known.offers.add(p);
      for (const d of dns) if (known.dns.size < MAX_DHCP6_OFFERS) known.dns.add(d);
      return;
    }
    const mine = (): Dhcp6Server => ({ id: sender, offers: new Set(offers.slice(0, MAX_DHCP6_OFFERS)), dns: new Set(dns.slice(0, MAX_DHCP6_OFFERS)), evidence: e });
    if (link.size === 0) {
      link.set(id, mine());
      return;
    }
    const offered = new Set<string>();
    const resolvers = new Set<string>();
    for (const s of link.values()) {
      for (const p of s.offers) offered.add(p);
      for (const d of s.dns) resolvers.add(d);
    }
    const freshOffers = offers.filter((p) => !offered.has(p));
    const freshDns = dns.filter((d) => !resolvers.has(d));
    const first = link.values().next().value as Dhcp6Server;
    if (freshOffers.length > 0 || freshDns.length > 0) {
      const what = [freshOffers.length > 0 ? `addresses in ${freshOffers.join(', ')}` : '', freshDns.length > 0 ? `DNS server ${freshDns.join(', ')}` : ''].filter((x) => x !== '').join(' and ');
      const theirs = [offered.size > 0 ? [...offered].join(', ') : '', resolvers.size > 0 ? `DNS ${[...resolvers].join(', ')}` : ''].filter((x) => x !== '').join(' and ');
      this.rogue(sender, mac, { id: first.id, mac: null, evidence: first.evidence }, seg, e, `a second DHCPv6 server, ${sender}, answered (${String(ev.msg_type)}) on ${seg} with ${what}, where ${first.id} hands out ${theirs}: hosts that take it get addresses or a resolver the site does not run (a rogue server, or a router plugged in by mistake)`);
    } else if (link.size < MAX_DHCP6_SERVERS_PER_LINK) {
      link.set(id, mine());
    }
  }

  private rogue(id: string, mac: string | null, first: DhcpServer | null, seg: string, e: Evidence, why: string): void {
    this.ctx.book.observe({
      rule: 'rogue-dhcp',
      key: `${seg}|${id}`,
      device: this.ctx.deviceId(id, mac),
      peer: first?.id ?? null,
      ts: e.ts,
      why,
      evidence: first === null ? [e] : [first.evidence, e],
    });
  }
}
