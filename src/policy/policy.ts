// Least-privilege segmentation policy from what the devices were seen doing: for each device to
// fence (medical and IoT/OT by default), allow exactly the conversations that took place — the
// services it answered, for the clients that used them; the services it used, at the servers
// that answered — and deny the rest, logged. Conversations come from conn.log or the store
// (conversations.ts); renderers turn the policy into nftables, iptables, PAN-OS or Cisco IOS.
import { compareIp, ipIsHost, parseV4, v6LinkLocal } from '../inventory/addr.js';
import type { Device } from '../report/model.js';
import { IOT_CATEGORIES, MEDICAL_CATEGORIES } from '../report/model.js';
import type { Conversation } from './conversations.js';
import { CHANNELS_OF } from '../analyzers/channels.js';
import { LocalNets } from '../inventory/local.js';
import { DOQ_PORTS, DOT_PORT } from '../knowledge/encrypted-dns.js';

export const POLICY_SCOPES = ['medical', 'medical-iot', 'all'] as const;
export type PolicyScope = (typeof POLICY_SCOPES)[number];

export interface PolicyOptions {
  scope?: PolicyScope;
  /**
   * Peers listed in one rule at most; a rule whose conversations reached more peers (a device
   * calling a cloud service behind many addresses) allows any peer on that port, and says so.
   */
  maxPeers?: number;
  /** Where the conversations came from ("wardline-out/logs/conn.log", "store wardline.db"), for the header. */
  source: string;
  /**
   * Fence only these devices (ids such as "mac:…" or "ip:…", or addresses they hold), whatever
   * their category: a site rolls segmentation out a device at a time.
   */
  only?: readonly string[];
  /** The site's networks (default the private and link-local ranges): inbound from outside them is not allowed. */
  localNets?: readonly string[];
}

export const DEFAULT_MAX_PEERS = 64;
/** Internet peers counted per refused inbound service (past it the header says "at least"). */
export const MAX_REFUSED_PEERS = 1_000;

/** Allowed: `peers` (or any) to or from the device on proto/port. */
export interface PolicyRule {
  direction: 'in' | 'out';
  proto: 'tcp' | 'udp';
  port: number;
  /** conn.log service names seen ("hl7", "ssl,http"); '' when no analyzer named it. */
  service: string;
  /** Peer addresses, sorted; empty with anyPeer. */
  peers: string[];
  /** More peers than maxPeers: any peer is allowed. */
  anyPeer: boolean;
  /** Peers seen, connections, and the first conversation (for the rule's comment). */
  peerCount: number;
  count: number;
  first_ts: number;
  last_ts: number;
  /** Where the first conversation is recorded ("conn.log uid C…", "capture.pcap packet 12"). */
  where: string;
}


/** A control protocol's rule whose connections get the firewall's helper for that protocol. */
export interface HelperUse {
  helper: string;
  direction: 'in' | 'out';
  proto: 'tcp' | 'udp';
  port: number;
}

export interface PolicyDevice {
  id: string;
  /** A name for people: host name, else address, else MAC. */
  name: string;
  ips: string[];
  category: string;
  medical: boolean;
  vendor: string | null;
  model: string | null;
  os: string | null;
  rules: PolicyRule[];
  /** Control protocols whose negotiated channels the firewall's helpers admit. */
  helpers: HelperUse[];
  /**
   * The negotiated channels seen (CHANNELS_OF), left out of `rules` because a helper admits
   * them; a format without helpers (stateless ACLs) can only allow them as seen.
   */
  channelRules: PolicyRule[];
}

export interface Policy {
  source: string;
  scope: PolicyScope;
  /** The devices asked for by id or address (PolicyOptions.only), or null for the scope. */
  only: string[] | null;
  devices: PolicyDevice[];
  /** Conversations read, and those that went into rules. */
  conversations: number;
  used: number;
  /** Devices in scope without an address (nothing to write a rule for). */
  withoutAddress: string[];
  /**
   * Connections Internet addresses opened to fenced devices: never allowed (a device that must
   * be reached from outside goes through a VPN or a managed gateway), listed for review.
   */
  refusedInbound: { device: string; port: number; proto: string; service: string; peers: number; count: number }[];
  /**
   * Encrypted DNS fenced devices sent to resolvers on the Internet (DNS over TLS or QUIC on port
   * 853, QUIC on DoQ's draft ports 784 and 8853, DNSCrypt on any port): never allowed (the encrypted-dns finding: it passes around the
   * site's resolvers and their filtering), listed for review. DNS over HTTPS is HTTPS on 443 to
   * the firewall; the finding names those resolvers.
   */
  refusedEncryptedDns: { device: string; port: number; proto: string; service: string; peers: number; count: number }[];
}

/** Whether a device is fenced under `scope`. */
export function inScope(d: Pick<Device, 'category' | 'medical'>, scope: PolicyScope): boolean {
  if (scope === 'all') return true;
  if (d.medical || MEDICAL_CATEGORIES.has(d.category)) return true;
  return scope === 'medical-iot' && IOT_CATEGORIES.has(d.category);
}

/** A device in `scope` that has an address a rule can name: one `wardline policy` fences. */
export function fenceable(d: Pick<Device, 'category' | 'medical' | 'ips'>, scope: PolicyScope): boolean {
  return inScope(d, scope) && d.ips.some(routable);
}

/**
 * Loopback and link-local addresses, and those that are no host's (ipIsHost: 0/8, multicast,
 * 240/4, limited broadcast), never cross a router: no rule of a segmentation firewall can
 * concern them. (An address ending in .255 can be
 * a host's, in a network wider than /24: devices are the inventory's, and a responder that
 * answered is a host.)
 */
export function routable(ip: string): boolean {
  if (!ipIsHost(ip)) return false;
  const v = parseV4(ip);
  if (v >= 0) return v >>> 24 !== 127 && v >>> 16 !== 0xa9fe;
  return ip !== '::1' && !v6LinkLocal(ip);
}

interface Acc {
  direction: 'in' | 'out';
  proto: 'tcp' | 'udp';
  port: number;
  services: Set<string>;
  peers: Set<string>;
  count: number;
  first: Conversation;
  last_ts: number;
}

export function buildPolicy(devices: readonly Device[], conversations: readonly Conversation[], opts: PolicyOptions): Policy {
  const scope = opts.scope ?? 'medical-iot';
  const maxPeers = opts.maxPeers ?? DEFAULT_MAX_PEERS;
  const only = opts.only !== undefined && opts.only.length > 0 ? new Set(opts.only) : null;
  const chosen = (d: Device): boolean => (only !== null ? only.has(d.id) || d.ips.some((ip) => only.has(ip)) : inScope(d, scope));
  const fenced = devices.filter(chosen).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byIp = new Map<string, { d: Device; rules: Map<string, Acc> }>();
  const withoutAddress: string[] = [];
  for (const d of fenced) {
    const ips = d.ips.filter(routable);
    if (ips.length === 0) withoutAddress.push(d.id);
    const e = { d, rules: new Map<string, Acc>() };
    for (const ip of ips) if (!byIp.has(ip)) byIp.set(ip, e);
  }
  let used = 0;
  const local = new LocalNets(opts.localNets);
  type Refusal = { device: string; port: number; proto: string; service: string; peers: Set<string>; count: number };
  const refused = new Map<string, Refusal>();
  const refusedDns = new Map<string, Refusal>();
  const refuse = (m: Map<string, Refusal>, device: string, c: Conversation, peer: string): void => {
    const k = `${device}|${c.proto}|${c.port}`;
    let r = m.get(k);
    if (r === undefined) {
      r = { device, port: c.port, proto: c.proto, service: c.service, peers: new Set(), count: 0 };
      m.set(k, r);
    }
    if (r.peers.size < MAX_REFUSED_PEERS) r.peers.add(peer);
    r.count += c.count;
  };
  const add = (e: { rules: Map<string, Acc> }, direction: 'in' | 'out', c: Conversation, peer: string): void => {
    const key = `${direction}|${c.proto}|${c.port}`;
    let a = e.rules.get(key);
    if (a === undefined) {
      a = { direction, proto: c.proto as 'tcp' | 'udp', port: c.port, services: new Set(), peers: new Set(), count: 0, first: c, last_ts: c.last_ts };
      e.rules.set(key, a);
    }
    if (c.service !== '') for (const s of c.service.split(',')) a.services.add(s);
    a.peers.add(peer);
    a.count += c.count;
    if (c.first_ts < a.first.first_ts) a.first = c;
    if (c.last_ts > a.last_ts) a.last_ts = c.last_ts;
  };
  for (const c of conversations) {
    if (c.proto !== 'tcp' && c.proto !== 'udp') continue;
    if (!routable(c.orig) || !routable(c.resp) || c.orig === c.resp) continue;
    const server = byIp.get(c.resp);
    const client = byIp.get(c.orig);
    if (server === undefined && client === undefined) continue;
    let took = client !== undefined;
    if (server !== undefined) {
      // As for the finding: a device inside the site's networks, a peer on the Internet. (A site
      // that numbers its devices in public space says so with --local-nets.)
      if (local.isInternet(c.orig) && local.has(c.resp)) {
        // The internet-exposure finding's conversations: the policy closes them.
        refuse(refused, server.d.id, c, c.orig);
      } else {
        add(server, 'in', c, c.orig);
        took = true;
      }
    }
    if (client !== undefined) {
      // The encrypted-dns finding's conversations (those the port or the service shows: DoT, DNSCrypt,
      // and QUIC on DoQ's ports, RFC 9250's 853 and its drafts' 784 and 8853): closed too.
      const services = c.service.split(',');
      const encDns = c.port === DOT_PORT || services.includes('dnscrypt') || (c.proto === 'udp' && services.includes('quic') && DOQ_PORTS.includes(c.port));
      if (local.isInternet(c.resp) && encDns) refuse(refusedDns, client.d.id, c, c.resp);
      else add(client, 'out', c, c.resp);
    }
    if (took) used++;
  }
  const seen = new Set<Device>();
  const out: PolicyDevice[] = [];
  for (const d of fenced) {
    if (seen.has(d)) continue;
    seen.add(d);
    const ips = d.ips.filter(routable).sort(compareIp);
    if (ips.length === 0) continue;
    const e = byIp.get(ips[0])!;
    const all: PolicyRule[] = [...e.rules.values()]
      .map((a) => {
        const peers = [...a.peers].sort(compareIp);
        const anyPeer = peers.length > maxPeers;
        return {
          direction: a.direction,
          proto: a.proto,
          port: a.port,
          service: [...a.services].sort().join(','),
          peers: anyPeer ? [] : peers,
          anyPeer,
          peerCount: peers.length,
          count: a.count,
          first_ts: a.first.first_ts,
          last_ts: a.last_ts,
          where: a.first.where,
        };
      })
      .sort((x, y) => (x.direction < y.direction ? -1 : x.direction > y.direction ? 1 : 0) || (x.proto < y.proto ? -1 : x.proto > y.proto ? 1 : 0) || x.port - y.port);
    const { rules, helpers, channelRules } = splitChannels(all);
    out.push({
      id: d.id,
      name: d.hostnames[0] ?? ips[0],
      ips,
      category: d.category,
      medical: d.medical,
      vendor: d.vendor,
      model: d.model,
      os: d.os?.name ?? null,
      rules,
      helpers,
      channelRules,
    });
  }
  const listed = (m: Map<string, Refusal>): Policy['refusedInbound'] =>
    [...m.values()]
      .sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0) || a.port - b.port)
      .map((r) => ({ device: r.device, port: r.port, proto: r.proto, service: r.service, peers: r.peers.size, count: r.count }));
  return { source: opts.source, scope, only: only !== null ? [...only].sort() : null, devices: out, conversations: conversations.length, used, withoutAddress, refusedInbound: listed(refused), refusedEncryptedDns: listed(refusedDns) };
}

/**
 * Moves a device's negotiated-channel rules (FTP data, TFTP transfers, SIP media: CHANNELS_OF)
 * out of its rules when the rules also allow the control protocol that negotiates them: a
 * stateful firewall's helper (Linux conntrack's ftp/tftp/sip helpers, PAN-OS's ALGs), named as
 * the control service is, reads the control session and admits exactly the channel it announces,
 * as a RELATED connection. Names the control rules that need the helper. Rules with other
 * services too stay as they are.
 */
function splitChannels(all: PolicyRule[]): { rules: PolicyRule[]; helpers: HelperUse[]; channelRules: PolicyRule[] } {
  const helpers: HelperUse[] = [];
  const covered = new Set<string>();
  for (const r of all) {
    for (const s of r.service.split(',')) {
      const ch = CHANNELS_OF[s];
      if (ch === undefined) continue;
      helpers.push({ helper: s, direction: r.direction, proto: r.proto, port: r.port });
      for (const c of ch) covered.add(c);
    }
  }
  const rules: PolicyRule[] = [];
  const channelRules: PolicyRule[] = [];
  for (const r of all) (r.service !== '' && r.service.split(',').every((s) => covered.has(s)) ? channelRules : rules).push(r);
  return { rules, helpers, channelRules };
}

/** One line saying what a device is, for comments. */
export function describe(d: PolicyDevice): string {
  const what = [d.category.replace(/_/g, ' '), d.vendor, d.model, d.os].filter((x) => x !== null && x !== '').join(', ');
  return `${d.name} (${what}) ${d.id}`;
}

/** What a rule allows and why, for comments: "hl7 from 2 peers, 14 connections since 2026-…; first: …". */
export function ruleWhy(r: PolicyRule): string {
  const since = new Date(Math.round(r.first_ts * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const who = r.anyPeer ? `${r.peerCount} peers (over the limit: any)` : `${r.peerCount} peer${r.peerCount > 1 ? 's' : ''}`;
  return `${r.service !== '' ? r.service + ' ' : ''}${r.direction === 'in' ? 'from' : 'to'} ${who}, ${r.count} connection${r.count > 1 ? 's' : ''} since ${since}; first: ${r.where}`;
}

/** Text safe inside a quoted comment of any of the formats (no quotes, no control characters). */
export function commentText(s: string, max = 200): string {
  const t = s.replace(/["'\\`$]/g, '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function isV4(ip: string): boolean {
  return parseV4(ip) >= 0;
}
