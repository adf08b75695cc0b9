// Scan detection from ended connections, after Zeek's policy/misc/scan.zeek: a source's failed
// connection attempts are counted per scan interval (a tumbling window); many distinct ports of
// one host is a port scan, one port across many hosts an address scan. A failed attempt is
//  - TCP: one the originator opened with a SYN that carried no data either way and did not end
//    in an orderly close: S0, REJ, RSTO/RSTOS0, RSTR/RSTRH, SH or OTH (Zeek's conn_state values);
//    or one it opened with a segment carrying none of SYN, ACK and RST, which no TCP stack sends
//    (a FIN, NULL or Xmas probe: nmap -sF, -sN, -sX; a closed port answers it with a reset, an
//    open or filtered one not at all), without data;
//  - TCP, for port scans only: one where the originator sent nothing but a lone ACK or FIN+ACK
//    (and its retransmissions), without data, answered by nothing or a reset (an ACK, window or
//    Maimon probe: nmap -sA, -sW, -sM, hping3 -A; every port answers a reset unless a firewall
//    drops it, which is what the probe maps). A stray segment of a connection the capture did not
//    see open looks the same one by one: many of them to one host are a server whose clients'
//    connections died, sent from its service port to their ephemeral ports, above it; so a lone
//    ACK counts only to a port below 1024 or below the one it came from;
//  - UDP: a unicast flow of at most six datagrams that got none back (a closed port answers
//    ICMP port unreachable, a filtered one nothing; nmap -sU sends one to four per port), not
//    to UDP traceroute's ports (33434 on, unanswered by design). UDP
//    address scans count internal targets only: a resolver's unanswered queries to Internet name
//    servers are no sweep;
//  - ICMP: an echo request (answered or not) counts toward an address scan, a ping sweep (nmap
//    -sn -PE, fping); one host pinged is no port of anything. DHCP servers ping an address
//    before they lease it (Cisco IOS `ip dhcp ping`, ISC dhcpd ping-check), so a morning's new
//    leases would look like a sweep: their echo requests are not counted.
// Host discovery on a local segment asks ARP instead of sending packets (nmap -sn, arp-scan):
// one sender's broadcast who-has requests for arpScanThreshold different addresses within
// arpScanWindowSecs are an ARP sweep, reported as an address scan. A request for an address that
// has just opened a connection to the asker is the asker resolving where to send its answer (a
// busy server's new clients, or a flood's forged sources on the local subnet): no discovery.
// An IP protocol scan (nmap -sO) sends one host datagrams of many IP protocols to learn which it
// speaks (a closed one answers ICMP protocol unreachable): protoScanThreshold distinct protocols
// other than TCP, UDP and ICMP from one source to one unicast address within the scan interval
// (the ipproto analyzer reports each new triple). Hosts speak a few such protocols to a peer
// (GRE, ESP, AH, a unicast VRRP or OSPF neighbour), not ten.
// A scan hidden among decoys (nmap -D: every probe copied from several source addresses, all
// from one MAC; src/flow/decoys.ts) is one scan: the copies are counted once, under the MAC, and
// the alert names the scanner (the member ARP binds to that MAC) and the decoys, so the blame
// does not fall on the live hosts whose addresses the scanner borrowed.
import type { Evidence } from '../report/model.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { raiseSeverity, RULES } from './rules.js';
import { isMedIot } from './lateral.js';
import { NetSet, parseV4 } from './net.js';
import { usec } from './alerts.js';
import { eventEvidence, eventFile, type ConnView, type DetectorContext } from './view.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { evictOldest } from '../util/evict.js';
import { V4PairCache } from '../util/v4table.js';
import { DecoyTracker, type DecoyGroup } from '../flow/decoys.js';
import { formatMac } from '../decode/packet.js';

const FAILED_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'OTH']);

/** Distinct targets remembered per set once past the threshold (the alert keeps counting). */
const SET_SLACK = 1;
/** Hosts or ports tracked per source per interval. */
const MAX_KEYS_PER_SOURCE = 1024;
/**
 * A failed attempt is reported when its connection ends: for an unanswered SYN, after the flow
 * table's 300 s TCP inactivity timeout and the sender's SYN retries (about two minutes). A
 * window's state is kept this long past its end for such late reports, then dropped.
 */
const LATE_REPORT_SECS = 600;
/** Most segments a FIN, NULL or Xmas probe flow holds (the probe and its retransmissions). */
const STEALTH_PROBE_MAX_PKTS = 4;
/** Most datagrams a UDP probe flow holds (nmap retransmits unanswered probes and sends 4 mDNS payloads). */
const UDP_PROBE_MAX_PKTS = 6;
/**
 * UDP traceroute's destination ports (33434 plus one per probe, 3 probes per hop): its probes
 * go unanswered by the target by design (routers answer time-exceeded), so they are no scan.
 */
const TRACEROUTE_FIRST = 33434;
const TRACEROUTE_LAST = 33434 + 255;
/** ICMP echo request types (IPv4 type 8, ICMPv6 type 128): Zeek's orig_p of an ICMP flow. */
const ICMP_ECHO = 8;
const ICMP6_ECHO = 128;
/**
 * Address-scan keys beside TCP ports 0…65535: UDP port p is UDP_KEY + p, echo requests ECHO_KEY.
 * Port-scan keys: the target's address for TCP, the address and "|udp" for UDP.
 */
const UDP_KEY = 0x10000;
const ECHO_KEY = 0x20000;
/** (source, destination) pairs whose IP protocols are counted at once. */
const MAX_PROTO_PAIRS = 4096;
/** ARP sweep senders tracked at once, and addresses remembered per sender's window. */
const MAX_ARP_SENDERS = 4096;
const MAX_ARP_TARGETS = 4096;
/** Decoy groups forgotten after this long without a twin probe (network time). */
const DECOY_IDLE_SECS = 3600;
/** Scan alerts remembered per decoy group (to name members that join later). */
const MAX_DECOY_ALERTS = 64;
/** Decoy addresses named in an alert's text (the rest counted). */
const DECOYS_NAMED = 8;
/** (source, destination) IPv4 pairs of connections just opened, remembered for ARP answers: 2^16 slots. */
const CONTACT_BITS = 16;
/** How long after a connection opened its responder's ARP request for the originator counts as answering it. */
const CONTACT_SECS = 10;
/** DHCP servers remembered (their pings are no sweep). */
const MAX_DHCP_SERVERS = 1024;
const DHCP_SERVER_TYPES = new Set(['OFFER', 'ACK', 'NAK']);

type Kind = 'tcp' | 'udp' | 'icmp';

/** How a TCP probe opened (UDP and ICMP ones: SYN, unused). */
const enum How {
  SYN = 0,
  /** No SYN, ACK or RST: FIN, NULL or Xmas (nmap -sF, -sN, -sX). */
  STEALTH = 1,
  /** A lone ACK (nmap -sA, -sW; hping3 -A). */
  ACK = 2,
  /** A lone FIN+ACK (nmap -sM). */
  FIN_ACK = 3,
}

/**
 * One failed attempt (a distinct target of its source's window), shared by the host's and the
 * port's tally. The evidence it stands for is only built when an alert is raised: most attempts
 * never reach a threshold, and a built evidence string costs several times this record.
 */
class Probe {
  constructor(
    /** The source address when the window is a decoy group's (its members differ), else null. */
    readonly orig: string | null,
    readonly proto: Kind,
    readonly resp: string,
    readonly oPort: number,
    readonly rPort: number,
    readonly state: string,
    readonly service: string,
    readonly file: string,
    readonly packet: number,
    readonly start: number,
    /** How the probe opened: SYN, no SYN, ACK or RST (a FIN, NULL or Xmas probe), a lone ACK or FIN+ACK. */
    readonly how: How,
  ) {}
}

/** The first probe of each distinct target, in order; a lone probe is held without an array (most are). */
type Tally = Probe | Probe[];

interface SourceState {
  windowStart: number;
  /** dst (and "|udp") → its tally of distinct ports (at most threshold + SET_SLACK) */
  byHost: Map<string, Tally>;
  /** port key → its tally of distinct hosts */
  byPort: Map<number, Tally>;
  /** Probe references held in both maps (what the source costs). */
  refs: number;
  /**
   * Past a threshold, the targets already counted per tally ("port|host" → ports, "address|port"
   * → hosts), so a retransmitted probe (nmap retries unanswered ones) is not counted twice.
   */
  past: Map<string, Set<number | string>> | null;
}

/** An ARP sender's sweep window: the distinct addresses it asked for, the first requests as evidence. */
interface ArpSweep {
  windowStart: number;
  targets: Set<string>;
  evidence: Evidence[];
}

/** One source's IP protocols sent to one host within a scan interval. */
interface ProtoScan {
  windowStart: number;
  protos: Set<number>;
  evidence: Evidence[];
}

/** Who sent the attempt being counted (a decoy group's: the member that did). */
interface From {
  orig: string;
  origMac: string | null;
  vlan: number;
}

/** What a scan alert's text is built from (a decoy group's is rebuilt when the group grows). */
interface ScanText {
  kind: 'port' | 'address';
  proto: Kind;
  resp: string;
  rPort: number;
  vlan: number;
  how: How;
}

/** What kind of probe a finished connection was, or null when it was none. */
export function probeKind(v: ConnView): Kind | null {
  if (v.tcp) return FAILED_STATES.has(v.state) && (v.synNoData || (v.stealth && v.origPkts <= STEALTH_PROBE_MAX_PKTS)) && v.origBytes === 0 && v.respBytes === 0 ? 'tcp' : null;
  if (v.proto === 'udp') return v.respPkts === 0 && v.origPkts <= UDP_PROBE_MAX_PKTS && !isTraceroutePort(v.rPort) && !isGroupDestination(v) ? 'udp' : null;
  if (v.proto === 'icmp') return isEchoRequest(v) && !isGroupDestination(v) ? 'icmp' : null;
  return null;
}

export function isFailedAttempt(v: ConnView): boolean {
  return probeKind(v) === 'tcp';
}

/**
 * An ACK, window or Maimon probe (nmap -sA, -sW, -sM): only lone ACK or FIN+ACK segments, no data,
 * nothing or a reset back, to a port below 1024 or below its source port (a server's strays to
 * its clients' ephemeral ports are above its own). Counted toward port scans only.
 */
export function isLoneAckProbe(v: ConnView): boolean {
  return v.tcp && v.loneAck !== 0 && v.origPkts <= STEALTH_PROBE_MAX_PKTS && v.origBytes === 0 && v.respBytes === 0 && (v.rPort < 1024 || v.rPort < v.oPort);
}

function howOf(v: ConnView): How {
  return v.stealth ? How.STEALTH : v.loneAck === 2 ? How.FIN_ACK : v.loneAck === 1 ? How.ACK : How.SYN;
}

/** An ICMP echo request flow (Zeek's orig_p: type 8, ICMPv6 128). */
export function isEchoRequest(v: ConnView): boolean {
  return v.oPort === (v.origV4 !== -1 ? ICMP_ECHO : ICMP6_ECHO);
}

export function isTraceroutePort(port: number): boolean {
  return port >= TRACEROUTE_FIRST && port <= TRACEROUTE_LAST;
}

/**
 * A multicast or broadcast destination: the Ethernet I/G bit, or, in captures without MACs (raw
 * IP, Linux cooked), IPv4 .255 or class D and IPv6 ff00::/8.
 */
export function isGroupDestination(v: ConnView): boolean {
  if (v.respMac !== null && (parseInt(v.respMac.slice(0, 2), 16) & 1) === 1) return true;
  const a = v.respV4;
  if (a === -1) return v.resp.startsWith('ff');
  return (a & 0xff) === 0xff || a >>> 28 === 0xe;
}

function probeEvidence(orig: string, p: Probe, fact: string): Evidence {
  const what = p.proto === 'icmp' ? `${orig} -> ${p.resp} icmp echo request${p.state === 'answered' ? ', answered' : ''}` : `${orig}:${p.oPort} -> ${p.resp}:${p.rPort}/${p.proto} ${p.state}${HOW_NOTE[p.how]}`;
  return {
    fact,
    value: `${what}${p.service !== '' ? ' ' + p.service : ''}`,
    source: 'conn.conn_state',
    file: p.file,
    packet: p.packet,
    ts: usec(p.start),
  };
}

export class ScanDetector {
  private readonly sources = new Map<string, SourceState>();
  private readonly arp = new Map<string, ArpSweep>();
  private readonly protoScans = new Map<string, ProtoScan>();
  private readonly dhcpServers = new Set<string>();
  private readonly decoys = new DecoyTracker();
  /** IPv4 (originator, responder) of connections just opened → network time. */
  private readonly contacts = new V4PairCache(CONTACT_BITS);
  /** Decoy group's MAC → its scan alerts' keys. */
  private readonly decoyAlerts = new Map<number, Map<string, ScanText>>();
  private readonly allow: NetSet;
  /** Probe references held over all sources (bounded by cfg.maxScanProbes). */
  private refs = 0;
  evicted = 0;

  /** `boundMac`: the MAC ARP/ND binds an address to (the scanner among its decoys is the one bound to the probes' MAC). */
  constructor(
    private readonly ctx: DetectorContext,
    private readonly boundMac: (vlan: number, ip: string) => string | null = () => null,
  ) {
    this.allow = new NetSet(ctx.cfg.scanAllow);
  }

  onConn(v: ConnView): void {
    const kind = probeKind(v) ?? (isLoneAckProbe(v) ? 'tcp' : null);
    if (kind === null || this.allow.hasAddr(v.orig) || (kind === 'icmp' && this.dhcpServers.has(v.orig))) return;
    const cfg = this.ctx.cfg;
    let group: DecoyGroup | null = null;
    if (kind !== 'icmp' && v.origMacNum !== 0) {
      const grew = this.decoys.probe(v.origMacNum, { orig: v.orig, resp: v.resp, proto: kind === 'tcp' ? 6 : 17, oPort: v.oPort, rPort: v.rPort, start: v.start, file: v.file, packet: v.packet });
      if (grew !== null) this.decoyGrew(grew, v);
      group = this.decoys.groupOf(v.origMacNum, v.orig);
    }
    // A decoy group's copies of one probe count once, under the MAC that sent them all.
    const src = group === null ? v.orig : `decoy|${v.origMac}`;
    let s = this.sources.get(src);
    if (s === undefined || v.start - s.windowStart > cfg.scanIntervalSecs) {
      if (s === undefined && this.sources.size >= cfg.maxSources) this.evictOldest();
      if (s !== undefined) this.drop(src, s);
      s = { windowStart: v.start, byHost: new Map(), byPort: new Map(), refs: 0, past: null };
      this.sources.set(src, s);
    }
    const from: From = { orig: v.orig, origMac: v.origMac, vlan: v.vlan };
    // The members' attempts counted before the group was known move into the group's window.
    if (group !== null) for (const ip of group.members) if (ip !== src) this.adopt(ip, s, src, group, from);
    const state = kind === 'icmp' ? (v.respPkts > 0 ? 'answered' : 'unanswered') : v.state;
    const p = new Probe(group === null ? null : v.orig, kind, v.resp, v.oPort, v.rPort, state, v.service, v.file, v.packet, v.start, howOf(v));
    this.countProbe(s, p, v.respInternal, src, group, from);
  }

  private countProbe(s: SourceState, p: Probe, respInternal: boolean, src: string, group: DecoyGroup | null, from: From): void {
    const cfg = this.ctx.cfg;
    if (p.proto === 'tcp') {
      this.count(s, s.byHost, p.resp, p, cfg.portScanThreshold, 'port', src, group, from);
      // A host whose stale connections to many servers are closed by their resets is no sweep.
      if (p.how < How.ACK) this.count(s, s.byPort, p.rPort, p, cfg.addrScanThreshold, 'address', src, group, from);
    } else if (p.proto === 'udp') {
      this.count(s, s.byHost, `${p.resp}|udp`, p, cfg.portScanThreshold, 'port', src, group, from);
      if (respInternal) this.count(s, s.byPort, UDP_KEY + p.rPort, p, cfg.addrScanThreshold, 'address', src, group, from);
    } else this.count(s, s.byPort, ECHO_KEY, p, cfg.addrScanThreshold, 'address', src, group, from);
  }

  /** Moves a decoy member's own window (attempts seen before the group was) into the group's. */
  private adopt(ip: string, gs: SourceState, src: string, group: DecoyGroup, from: From): void {
    const ms = this.sources.get(ip);
    if (ms === undefined || ms === gs) return;
    this.drop(ip, ms);
    for (const t of ms.byHost.values()) {
      for (const q of t instanceof Probe ? [t] : t) {
        if (q.proto === 'icmp') continue;
        const p = new Probe(ip, q.proto, q.resp, q.oPort, q.rPort, q.state, q.service, q.file, q.packet, q.start, q.how);
        this.countProbe(gs, p, this.ctx.internal.hasAddr(q.resp), src, group, from);
      }
    }
  }

  /** A connection from IPv4 `orig` to `resp` opened at `ts` (its first packet). */
  contacted(orig: number, resp: number, ts: number): void {
    this.contacts.set(orig, resp, ts);
  }

  /** ARP host discovery: broadcast who-has requests for many addresses from one sender; IP protocol scans. */
  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type === 'ip.protocol') {
      this.protocol(ev, c, m);
      return;
    }
    if (ev.type === 'dhcp.message') {
      if (ev.from_client === false && DHCP_SERVER_TYPES.has(String(ev.msg_type)) && c !== null && this.dhcpServers.size < MAX_DHCP_SERVERS) {
        this.dhcpServers.add(ev.is_orig === true ? origAddr(c) : respAddr(c));
        if (typeof ev.server_id === 'string' && ev.server_id !== '' && this.dhcpServers.size < MAX_DHCP_SERVERS) this.dhcpServers.add(ev.server_id);
      }
      return;
    }
    // RFC 826 request (op 1), broadcast, not a probe (RFC 5227: sender address 0.0.0.0) or an announcement.
    if (ev.type !== 'arp.message' || ev.op !== 1 || ev.probe === true || ev.mac_dst !== 'ff:ff:ff:ff:ff:ff') return;
    const spa = String(ev.spa ?? '');
    const tpa = String(ev.tpa ?? '');
    if (spa === '' || tpa === '' || spa === tpa || this.allow.hasAddr(spa)) return;
    // The asker must answer a connection the target just opened to it.
    const from = parseV4(tpa);
    const to = parseV4(spa);
    if (from !== null && to !== null) {
      const at = this.contacts.get(from, to);
      if (m.ts - at <= CONTACT_SECS && m.ts >= at) return;
    }
    const cfg = this.ctx.cfg;
    const key = `${spa}|${String(ev.sha ?? '')}`;
    let w = this.arp.get(key);
    if (w === undefined || m.ts - w.windowStart > cfg.arpScanWindowSecs) {
      if (w === undefined && this.arp.size >= MAX_ARP_SENDERS) {
        evictOldest(this.arp);
        this.evicted++;
      }
      if (w !== undefined) this.arp.delete(key);
      w = { windowStart: m.ts, targets: new Set(), evidence: [] };
      this.arp.set(key, w);
    }
    // Each address counts once (nmap asks twice for one that does not answer); a full set stops counting.
    if (w.targets.has(tpa) || w.targets.size >= MAX_ARP_TARGETS) return;
    w.targets.add(tpa);
    const n = w.targets.size;
    const alertKey = `address|${spa}|arp`;
    const open = this.ctx.book.get('scan', alertKey);
    if (n > cfg.arpScanThreshold) {
      if (open !== undefined) this.raiseArp(ev, m, spa, alertKey, { inc: 1 }, []);
      return;
    }
    if (w.evidence.length < cfg.maxEvidence) w.evidence.push(eventEvidence('host-probe', `${spa} (${String(ev.sha)}) who-has ${tpa}`, 'arp.tpa', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (n === cfg.arpScanThreshold) {
      this.raiseArp(ev, m, spa, alertKey, open !== undefined ? { inc: n } : { count: n }, w.evidence);
      w.evidence = [];
    }
  }

  /** A source's first datagram of an IP protocol to a host (the ipproto analyzer's event). */
  private protocol(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    const src = String(ev.src ?? '');
    const dst = String(ev.dst ?? '');
    const proto = Number(ev.proto);
    if (src === '' || dst === '' || this.allow.hasAddr(src)) return;
    const cfg = this.ctx.cfg;
    const key = `${src}|${dst}`;
    let w = this.protoScans.get(key);
    if (w === undefined || m.ts - w.windowStart > cfg.scanIntervalSecs) {
      if (w === undefined && this.protoScans.size >= MAX_PROTO_PAIRS) {
        evictOldest(this.protoScans);
        this.evicted++;
      }
      if (w !== undefined) this.protoScans.delete(key);
      w = { windowStart: m.ts, protos: new Set(), evidence: [] };
      this.protoScans.set(key, w);
    }
    if (w.protos.has(proto)) return;
    w.protos.add(proto);
    const n = w.protos.size;
    const alertKey = `protocol|${src}|${dst}`;
    const open = this.ctx.book.get('scan', alertKey);
    const mac = typeof ev.mac_src === 'string' && ev.mac_src !== '' ? ev.mac_src : null;
    if (n > cfg.protoScanThreshold) {
      if (open !== undefined) this.raiseProto(src, mac, dst, m, alertKey, { inc: 1 }, []);
      return;
    }
    if (w.evidence.length < cfg.maxEvidence) w.evidence.push(eventEvidence('protocol-probe', `${src} -> ${dst} IP protocol ${proto}${IP_PROTO_NAMES[proto] !== undefined ? ` (${IP_PROTO_NAMES[proto]})` : ''}`, 'ip.proto', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (n === cfg.protoScanThreshold) {
      this.raiseProto(src, mac, dst, m, alertKey, open !== undefined ? { inc: n } : { count: n }, w.evidence);
      w.evidence = [];
    }
  }

  private raiseProto(src: string, mac: string | null, dst: string, m: PacketMeta, key: string, n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    const ctx = this.ctx;
    const { severity, who } = this.severityOf(src, mac);
    const count = n.count ?? (ctx.book.get('scan', key)?.count ?? 0) + (n.inc ?? 1);
    ctx.book.observe({
      rule: 'scan',
      key,
      device: ctx.deviceId(src, mac),
      peer: dst,
      ts: m.ts,
      ...n,
      severity,
      why: `${who} sent ${dst} datagrams of ${count} different IP protocols other than TCP, UDP and ICMP (IP protocol scan, nmap -sO: learning which protocols the host speaks; threshold ${ctx.cfg.protoScanThreshold} in ${ctx.cfg.scanIntervalSecs} s)`,
      evidence,
    });
  }

  /** Drops windows too old for any late report to land in (housekeeping, network time `now`). */
  expire(now: number): void {
    const horizon = this.ctx.cfg.scanIntervalSecs + LATE_REPORT_SECS;
    for (const [k, s] of this.sources) if (now - s.windowStart > horizon) this.drop(k, s);
    for (const [k, w] of this.arp) if (now - w.windowStart > this.ctx.cfg.arpScanWindowSecs) this.arp.delete(k);
    for (const [k, w] of this.protoScans) if (now - w.windowStart > this.ctx.cfg.scanIntervalSecs) this.protoScans.delete(k);
    this.decoys.expire(now, DECOY_IDLE_SECS);
    for (const mac of this.decoyAlerts.keys()) if (this.decoys.all().get(mac) === undefined) this.decoyAlerts.delete(mac);
  }

  private evictOldest(): void {
    const [k, s] = evictOldest(this.sources)!;
    this.drop(k, s);
    this.evicted++;
  }

  private drop(k: string, s: SourceState): void {
    this.sources.delete(k);
    this.refs -= s.refs;
  }

  private count<K>(s: SourceState, m: Map<K, Tally>, key: K, p: Probe, threshold: number, kind: 'port' | 'address', src: string, group: DecoyGroup | null, from: From): void {
    const t = m.get(key);
    if (t === undefined && m.size >= MAX_KEYS_PER_SOURCE) return;
    const n = t === undefined ? 0 : t instanceof Probe ? 1 : t.length;
    const alertKey = kind === 'port' ? `port|${src}|${p.resp}${p.proto === 'udp' ? '|udp' : ''}` : `address|${src}|${p.proto === 'tcp' ? p.rPort : p.proto === 'udp' ? `udp/${p.rPort}` : 'icmp-echo'}`;
    const open = this.ctx.book.get('scan', alertKey);
    const seen = t !== undefined && (kind === 'port' ? hasPort(t, p.rPort) : hasHost(t, p.resp));
    if (open !== undefined && n >= threshold) {
      // Past the threshold: the open alert counts further targets; the tally stops growing.
      if (seen) return;
      const target = kind === 'port' ? p.rPort : p.resp;
      const pk = `${kind}|${String(key)}`;
      let done = (s.past ??= new Map()).get(pk);
      if (done === undefined) s.past.set(pk, (done = new Set<number | string>()));
      if (done.has(target)) return;
      // Remembered within the budget; past it each probe counts (an upper bound).
      if (this.refs < this.ctx.cfg.maxScanProbes) {
        done.add(target);
        s.refs++;
        this.refs++;
      }
      this.raise(from, p, alertKey, kind, { inc: 1 }, [], group);
      return;
    }
    if (seen || n >= threshold + SET_SLACK) return;
    // The budget over all sources: the oldest windows make room; a lone source past it stops growing.
    while (this.refs >= this.ctx.cfg.maxScanProbes) if (!this.evictOther(s)) return;
    let list: Probe[] | null = null;
    if (t === undefined) m.set(key, p);
    else if (t instanceof Probe) m.set(key, (list = [t, p]));
    else (list = t).push(p);
    s.refs++;
    this.refs++;
    if (n + 1 === threshold) {
      const fact = kind === 'port' ? 'port-probe' : 'host-probe';
      const evidence: Evidence[] = [];
      const items = list ?? [p];
      if (group !== null) evidence.push(decoyEvidence(group, formatMac(group.mac)));
      for (let i = 0; i < items.length && evidence.length < this.ctx.cfg.maxEvidence; i++) evidence.push(probeEvidence(items[i].orig ?? from.orig, items[i], fact));
      this.raise(from, p, alertKey, kind, open !== undefined ? { inc: threshold } : { count: threshold }, evidence, group);
    }
  }

  /** Drops the oldest source other than `keep`; false when there is none. */
  private evictOther(keep: SourceState): boolean {
    for (const [k, o] of this.sources) {
      if (o === keep) continue;
      this.drop(k, o);
      this.evicted++;
      return true;
    }
    return false;
  }

  private severityOf(ip: string, mac: string | null): { severity: ReturnType<typeof raiseSeverity>; who: string } {
    const cat = this.ctx.category(ip, mac);
    const medIot = isMedIot(cat);
    return { severity: medIot ? raiseSeverity(RULES.scan.severity) : RULES.scan.severity, who: medIot ? `${cat} device ${ip}` : ip };
  }

  private raise(from: From, p: Probe, key: string, kind: 'port' | 'address', n: { inc?: number; count?: number }, evidence: Evidence[], group: DecoyGroup | null): void {
    const ctx = this.ctx;
    const count = n.count ?? (ctx.book.get('scan', key)?.count ?? 0) + (n.inc ?? 1);
    const a: ScanText = { kind, proto: p.proto, resp: p.resp, rPort: p.rPort, vlan: from.vlan, how: p.how };
    if (group !== null) {
      let keys = this.decoyAlerts.get(group.mac);
      if (keys === undefined) this.decoyAlerts.set(group.mac, (keys = new Map()));
      if (keys.size < MAX_DECOY_ALERTS) keys.set(key, a);
      const d = this.decoyWhy(group, a, count);
      ctx.book.observe({ rule: 'scan', key, device: d.device, peer: kind === 'port' ? p.resp : null, ts: p.start, ...n, severity: d.severity, why: d.why, evidence });
      return;
    }
    const { severity, who } = this.severityOf(from.orig, from.origMac);
    ctx.book.observe({
      rule: 'scan',
      key,
      device: ctx.deviceId(from.orig, from.origMac),
      peer: kind === 'port' ? p.resp : null,
      ts: p.start,
      ...n,
      severity,
      why: this.scanWhy(who, a, count),
      evidence,
    });
  }

  private scanWhy(who: string, a: ScanText, count: number): string {
    const cfg = this.ctx.cfg;
    if (a.proto === 'icmp') return `${who} sent ICMP echo requests (ping) to ${count} hosts (ping sweep; threshold ${cfg.addrScanThreshold} in ${cfg.scanIntervalSecs} s)`;
    const failed = a.proto === 'tcp' ? TCP_FAILED[a.how] : 'without an answer';
    if (a.kind === 'port') return `${who} probed ${count} ${a.proto.toUpperCase()} ports of ${a.resp} ${failed} (port scan; threshold ${cfg.portScanThreshold} in ${cfg.scanIntervalSecs} s)`;
    return `${who} probed ${a.proto.toUpperCase()} port ${a.rPort} on ${count} hosts ${failed} (address scan; threshold ${cfg.addrScanThreshold} in ${cfg.scanIntervalSecs} s)`;
  }

  /**
   * A decoy scan's device, severity and text. The scanner is the member that ARP (or ND) binds to
   * the MAC every copy came from; when none or several are, the alert is the MAC's (a router
   * forwarding a decoy scan from elsewhere, or no binding seen) and every member is a suspect.
   */
  private decoyWhy(g: DecoyGroup, a: ScanText, count: number): { device: string; severity: ReturnType<typeof raiseSeverity>; why: string } {
    const mac = formatMac(g.mac);
    const own = g.members.filter((ip) => this.boundMac(a.vlan, ip) === mac);
    const real = own.length === 1 ? own[0] : null;
    const others = g.members.filter((ip) => ip !== real);
    const named = others.slice(0, DECOYS_NAMED).join(', ') + (others.length > DECOYS_NAMED ? ` and ${others.length - DECOYS_NAMED} more` : '');
    const borrowed = others.filter((ip) => {
      const b = this.boundMac(a.vlan, ip);
      return b !== null && b !== mac;
    });
    const { severity, who } = this.severityOf(real ?? '', mac);
    let why: string;
    if (real !== null) {
      why = `${this.scanWhy(who, a, count)}, hiding among decoys: MAC ${mac}, which ARP binds to ${real}, sent each probe also from ${named} at the same moment (a decoy scan, nmap -D); those addresses did not send them`;
      if (borrowed.length > 0) why += ` (${borrowed.join(', ')} ${borrowed.length === 1 ? "is another station's address, borrowed as a decoy" : "are other stations' addresses, borrowed as decoys"})`;
    } else {
      why = `${this.scanWhy(`the host behind MAC ${mac}`, a, count)}, from ${g.members.length} source addresses at once: MAC ${mac} sent each probe from every one of ${named} at the same moment (a decoy scan, nmap -D); one of them is the scanner, the others are decoys`;
    }
    return { device: real !== null ? this.ctx.deviceId(real, mac) : `mac:${mac}`, severity, why };
  }

  /** A decoy group gained a member: its open scan alerts name it. */
  private decoyGrew(g: DecoyGroup, v: ConnView): void {
    const keys = this.decoyAlerts.get(g.mac);
    if (keys === undefined) return;
    for (const [key, a] of keys) {
      const open = this.ctx.book.get('scan', key);
      if (open === undefined) continue;
      const d = this.decoyWhy(g, a, open.count);
      this.ctx.book.observe({ rule: 'scan', key, device: d.device, peer: a.kind === 'port' ? a.resp : null, ts: v.start, inc: 0, severity: d.severity, why: d.why });
    }
  }

  private raiseArp(ev: AppEvent, m: PacketMeta, spa: string, key: string, n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    const ctx = this.ctx;
    const mac = typeof ev.sha === 'string' ? ev.sha : null;
    const { severity, who } = this.severityOf(spa, mac);
    const count = n.count ?? (ctx.book.get('scan', key)?.count ?? 0) + (n.inc ?? 1);
    ctx.book.observe({
      rule: 'scan',
      key,
      device: ctx.deviceId(spa, mac),
      peer: null,
      ts: m.ts,
      ...n,
      severity,
      why: `${who} asked ARP for ${count} different addresses (ARP sweep, host discovery on the local segment; threshold ${ctx.cfg.arpScanThreshold} in ${ctx.cfg.arpScanWindowSecs} s)`,
      evidence,
    });
  }

  size(): number {
    return this.sources.size + this.arp.size + this.protoScans.size;
  }

  /** Probe references held (what the detector's memory grows with). */
  probes(): number {
    return this.refs;
  }
}

/** The two copies of one probe that tied two source addresses to one MAC's decoy group. */
function decoyEvidence(g: DecoyGroup, mac: string): Evidence {
  const [a, b] = g.first;
  const proto = a.proto === 6 ? 'tcp' : 'udp';
  return {
    fact: 'decoy-probe',
    value: `${a.orig}:${a.oPort} -> ${a.resp}:${a.rPort}/${proto} and ${b.orig}:${b.oPort} -> ${b.resp}:${b.rPort}/${proto}, ${Math.abs(b.start - a.start).toFixed(6)} s apart, both from MAC ${mac}`,
    source: 'conn.orig_l2_addr',
    file: b.file,
    packet: b.packet,
    ts: usec(Math.max(a.start, b.start)),
  };
}

/** Names of the IP protocols an evidence line spells out (IANA protocol numbers). */
const IP_PROTO_NAMES: Record<number, string> = {
  0: 'HOPOPT', 2: 'IGMP', 3: 'GGP', 4: 'IPv4', 5: 'ST', 8: 'EGP', 9: 'IGP', 41: 'IPv6', 43: 'IPv6-Route', 44: 'IPv6-Frag',
  46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH', 59: 'IPv6-NoNxt', 60: 'IPv6-Opts', 88: 'EIGRP', 89: 'OSPF', 94: 'IPIP',
  97: 'EtherIP', 103: 'PIM', 108: 'IPComp', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 136: 'UDPLite', 137: 'MPLS-in-IP',
};

/** How a TCP scan's probes failed, by How. */
const TCP_FAILED = [
  'without completing a connection',
  'with segments no TCP stack sends (no SYN or ACK: FIN, NULL or Xmas probes, nmap -sF/-sN/-sX)',
  'with lone ACK segments of no connection, answered by resets or nothing (ACK or window probes, nmap -sA/-sW: mapping which ports a firewall lets through)',
  'with lone FIN+ACK segments of no connection, answered by resets or nothing (Maimon probes, nmap -sM)',
];
/** What a probe's evidence adds to its connection state, by How. */
const HOW_NOTE = ['', ', opened without SYN or ACK', ', a lone ACK', ', a lone FIN+ACK'];

function hasPort(t: Tally, port: number): boolean {
  if (t instanceof Probe) return t.rPort === port;
  for (let i = 0; i < t.length; i++) if (t[i].rPort === port) return true;
  return false;
}

function hasHost(t: Tally, host: string): boolean {
  if (t instanceof Probe) return t.resp === host;
  for (let i = 0; i < t.length; i++) if (t[i].resp === host) return true;
  return false;
}
