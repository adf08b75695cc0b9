// The state event handlers write to, and the helpers they share: which subject an address or
// MAC is, the address bindings (ARP, DHCP leases, node status) that keep an address on its MAC,
// and structured fingerprints matched against the knowledge base when the inventory is built.
import { formatAddr, formatMac } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { ipIsHost, ipIsPrivate, macIsDevice, parseMacString } from './addr.js';
import { FactStore, type FactInput, type OsClaim } from './facts.js';
import { V4Table } from '../util/v4table.js';

export const MAX_BOUND_IPS = 100_000;
export const MAX_MACS_PER_BINDING = 4;
export const MAX_ROUTER_HINTS = 1_000;
export const MAX_FINGERPRINTS = 50_000;
/** Hostnames learnt from DNS answers about other hosts, at most (they name remote servers). */
export const MAX_DNS_NAMES = 50_000;

/** A DHCP / DHCPv6 client fingerprint, matched with Satori at build time. */
export interface DhcpFingerprint {
  v6: boolean;
  messageType: string;
  options: number[];
  param55: number[];
  vendorClass?: string;
  ttl?: number;
  subject: string;
  file: string;
  packet: number;
  ts: number;
}

export interface DnsName {
  name: string;
  source: string;
  file: string;
  packet: number;
  ts: number;
}

/** New CDP/LLDP announcers on one link within NEIGHBOR_FLOOD_SECS that make a flood (the monitor's neighborFloodSenders). */
export const NEIGHBOR_FLOOD_ANNOUNCERS = 100;
const NEIGHBOR_FLOOD_SECS = 2;
const MAX_ANNOUNCERS = 65_536;
const MAX_ANNOUNCE_LINKS = 4096;
/**
 * New locally administered sources on one link within MAC_FLOOD_SECS that make a unicast MAC
 * flood, when at least MAC_FLOOD_LOCAL_SHARE of their frames were a new source's first (the
 * monitor's macFloodLocalSources, macFloodLocalShare and macFloodWindowSecs defaults).
 */
export const MAC_FLOOD_LOCAL_SOURCES = 1000;
export const MAC_FLOOD_LOCAL_SHARE = 0.8;
const MAC_FLOOD_SECS = 10;
/** A new window that opens within this long of a flooded one's last new source continues the flood. */
const MAC_FLOOD_GAP_SECS = 1;
const MAX_FLOOD_SOURCES = 262_144;
const MAX_FLOOD_LINKS = 1024;

export class Links {
  /** Address → MACs that bound it (ARP sender fields, DHCP leases, NetBIOS node status), with the source. */
  readonly bind = new Map<string, Map<number, string>>();
  /** Address → MAC from LLDP/CDP management addresses (used only when nothing else claims it). */
  readonly weakBind = new Map<string, number>();
  /** MACs whose LLDP/CDP advertisement has the router capability enabled. */
  readonly routerCapable = new Set<number>();
  /** Default routers that DHCP servers handed out (option 3). */
  readonly routers = new Set<string>();
  readonly dhcp: DhcpFingerprint[] = [];
  readonly dhcpKeys = new Set<string>();
  /** Address → the first name a DNS answer or PTR record gave it (made a fact only for devices). */
  readonly dnsNames = new Map<string, DnsName>();
  readonly dropped = { bindings: 0, fingerprints: 0, dnsNames: 0 };

  /**
   * MACs that announced themselves by CDP or LLDP among NEIGHBOR_FLOOD_ANNOUNCERS new announcers
   * within NEIGHBOR_FLOOD_SECS on one link: a flood's made-up devices (Yersinia's "flooding CDP
   * table"), which build() leaves out unless they sent something else. A device announces itself
   * every 30 s (LLDP) or 60 s (CDP): thousands of real ones make a few new announcers a second.
   */
  readonly floodAnnouncers = new Set<number>();
  private readonly announcers = new Set<number>();
  private readonly announceBursts = new Map<string, { first: number; macs: number[]; flooded: boolean }>();

  /** Records `mac` announcing itself on `link` at `ts`; false when the announcement is part of a flood. */
  announce(link: string, mac: number, ts: number): boolean {
    if (this.announcers.has(mac)) return !this.floodAnnouncers.has(mac);
    if (this.announcers.size >= MAX_ANNOUNCERS) return true;
    this.announcers.add(mac);
    let b = this.announceBursts.get(link);
    if (b === undefined || ts - b.first > NEIGHBOR_FLOOD_SECS) {
      if (b === undefined && this.announceBursts.size >= MAX_ANNOUNCE_LINKS) return true;
      b = { first: ts, macs: [], flooded: false };
      this.announceBursts.set(link, b);
    }
    if (b.flooded) {
      this.floodAnnouncers.add(mac);
      return false;
    }
    b.macs.push(mac);
    if (b.macs.length < NEIGHBOR_FLOOD_ANNOUNCERS) return true;
    b.flooded = true;
    for (const m of b.macs) this.floodAnnouncers.add(m);
    b.macs = [];
    return false;
  }

  /**
   * Locally administered MACs whose first frame came within a unicast MAC flood on their link
   * (mausezahn -a rand: thousands of new sources a second, one frame each): build() leaves out
   * those that sent nothing more and that nothing bound or described. VMs and phones' private
   * Wi-Fi addresses are locally administered too, but each sends many frames, which keeps a link's
   * share of new sources' first frames low.
   */
  readonly floodSources = new Set<number>();
  private readonly localBursts = new Map<number, { first: number; last: number; startFrames: number; macs: number[]; flooded: boolean }>();

  /** Records the first frame of locally administered `mac` on `link`, the link's `frames`th from such sources. */
  localSource(link: number, mac: number, frames: number, ts: number): void {
    let b = this.localBursts.get(link);
    if (b === undefined || ts - b.first > MAC_FLOOD_SECS) {
      if (b === undefined && this.localBursts.size >= MAX_FLOOD_LINKS) return;
      const carry = b !== undefined && b.flooded && ts - b.last <= MAC_FLOOD_GAP_SECS;
      b = { first: ts, last: ts, startFrames: frames - 1, macs: [], flooded: carry };
      this.localBursts.set(link, b);
    }
    b.last = ts;
    if (b.flooded) {
      if (this.floodSources.size < MAX_FLOOD_SOURCES) this.floodSources.add(mac);
      return;
    }
    b.macs.push(mac);
    if (b.macs.length < MAC_FLOOD_LOCAL_SOURCES || b.macs.length < MAC_FLOOD_LOCAL_SHARE * (frames - b.startFrames)) return;
    b.flooded = true;
    for (const m of b.macs) if (this.floodSources.size < MAX_FLOOD_SOURCES) this.floodSources.add(m);
    b.macs = [];
  }

  /** Keep DNS names of public addresses too (Inventory external); else they name Internet servers. */
  keepPublicNames = false;

  addDnsName(ip: string, name: string, source: string, file: string, packet: number, ts: number): void {
    if (this.dnsNames.has(ip) || (!this.keepPublicNames && !ipIsPrivate(ip))) return;
    if (this.dnsNames.size >= MAX_DNS_NAMES) {
      this.dropped.dnsNames++;
      return;
    }
    if (ipIsHost(ip)) this.dnsNames.set(ip, { name, source, file, packet, ts });
  }

  addBinding(ip: string, mac: number, source: string): void {
    if (!ipIsHost(ip) || !macIsDevice(mac)) return;
    let m = this.bind.get(ip);
    if (m === undefined) {
      if (this.bind.size >= MAX_BOUND_IPS) {
        this.dropped.bindings++;
        return;
      }
      m = new Map();
      this.bind.set(ip, m);
    }
    if (!m.has(mac) && m.size < MAX_MACS_PER_BINDING) m.set(mac, source);
  }

  addWeak(ip: string, mac: number): void {
    if (!ipIsHost(ip) || !macIsDevice(mac) || this.weakBind.has(ip) || this.weakBind.size >= MAX_BOUND_IPS) return;
    this.weakBind.set(ip, mac);
  }

  /** One DHCP/DHCPv6 client message's fingerprint (option lists as the event's comma text). */
  addFingerprint(v6: boolean, messageType: string, options: unknown, param55: unknown, vendorClass: unknown, ttl: number | undefined, subject: string, at: { file: string; packet: number; ts: number }): void {
    const o = typeof options === 'string' ? options : '';
    const p = typeof param55 === 'string' ? param55 : '';
    const vc = typeof vendorClass === 'string' && vendorClass !== '' ? vendorClass : undefined;
    const key = `${subject}|${v6}|${messageType}|${o}|${p}|${vc ?? ''}|${ttl ?? ''}`;
    if (this.dhcpKeys.has(key)) return;
    if (this.dhcp.length >= MAX_FINGERPRINTS) {
      this.dropped.fingerprints++;
      return;
    }
    this.dhcpKeys.add(key);
    const fp: DhcpFingerprint = { v6, messageType, options: codes(o), param55: codes(p), subject, file: at.file, packet: at.packet, ts: at.ts };
    if (vc !== undefined) fp.vendorClass = vc;
    if (ttl !== undefined) fp.ttl = ttl;
    this.dhcp.push(fp);
  }
}

/** The per-event context, one object reused for every event. */
export class ObserveCtx {
  ev: AppEvent = { type: '' };
  c: Conn | null = null;
  /**
   * The event comes from inside a SOCKS or HTTP CONNECT tunnel: the connection's responder is the
   * proxy, not the server the event describes, so side(false) and respIp() name nobody.
   */
  tunneled = false;
  file = '';
  packet = 0;
  ts = 0;
  /** TTL / hop limit of the packet that completed the event. */
  ttl = 0;

  constructor(
    readonly facts: FactStore,
    readonly links: Links,
  ) {}

  add(subject: string | null, f: FactInput, lazyOs?: (value: string) => OsClaim | null): boolean {
    if (subject === null) return false;
    return this.facts.add(subject, f, this.file, this.packet, this.ts, lazyOs);
  }

  /** Adds `value` when it is a non-empty string; `lazyOs` reads an OS claim from a new value. */
  addText(subject: string | null, fact: string, source: string, value: unknown, self = true, lazyOs?: (value: string) => OsClaim | null): void {
    if (typeof value !== 'string' || value === '' || subject === null) return;
    this.facts.put(subject, fact, source, value, self, this.file, this.packet, this.ts, undefined, lazyOs);
  }

  origIp(): string | null {
    const c = this.c;
    return c === null ? null : formatAddr(c.o0, c.o1, c.o2, c.o3);
  }

  respIp(): string | null {
    const c = this.c;
    return c === null || this.tunneled ? null : formatAddr(c.r0, c.r1, c.r2, c.r3);
  }

  private readonly v4Subjects = new V4Table<string | null>();

  /** Subject of the connection's originator (true) or responder (false). */
  side(isOrig: boolean): string | null {
    const c = this.c;
    if (c === null || (!isOrig && this.tunneled)) return null;
    const w0 = isOrig ? c.o0 : c.r0;
    const w1 = isOrig ? c.o1 : c.r1;
    const w2 = isOrig ? c.o2 : c.r2;
    const w3 = isOrig ? c.o3 : c.r3;
    if (w0 !== 0 || w1 !== 0 || w2 !== 0xffff) return ipSubject(formatAddr(w0, w1, w2, w3));
    // IPv4: memoised by number (events repeat the same few hosts).
    let s = this.v4Subjects.get(w3);
    if (s === undefined) {
      s = ipSubject(formatAddr(w0, w1, w2, w3));
      if (this.v4Subjects.size < SUBJECT_CACHE_MAX) this.v4Subjects.set(w3, s);
    }
    return s;
  }
}

const subjectCache = new Map<string, string | null>();
const SUBJECT_CACHE_MAX = 65_536;

/** "ip:<addr>" for an address that can be a host (memoised: events repeat addresses). */
export function ipSubject(ip: unknown): string | null {
  if (typeof ip !== 'string') return null;
  let s = subjectCache.get(ip);
  if (s !== undefined) return s;
  s = ipIsHost(ip) ? `ip:${ip}` : null;
  if (subjectCache.size >= SUBJECT_CACHE_MAX) subjectCache.clear();
  subjectCache.set(ip, s);
  return s;
}

const macCache = new Map<string, { subject: string | null; mac: number }>();

/** A MAC string's number (-1 when malformed) and its subject (null for group or zero MACs), memoised. */
export function macInfo(mac: string): { subject: string | null; mac: number } {
  let r = macCache.get(mac);
  if (r !== undefined) return r;
  const n = parseMacString(mac);
  r = { subject: n >= 0 && macIsDevice(n) ? `mac:${formatMac(n)}` : null, mac: n };
  if (macCache.size >= SUBJECT_CACHE_MAX) macCache.clear();
  macCache.set(mac, r);
  return r;
}

export function macSubject(mac: unknown): string | null {
  if (typeof mac === 'number') return macIsDevice(mac) ? `mac:${formatMac(mac)}` : null;
  if (typeof mac !== 'string') return null;
  return macInfo(mac).subject;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Comma-separated option codes ("1,3,6") as numbers; [] when absent or malformed. */
export function codes(v: unknown): number[] {
  if (typeof v !== 'string' || v === '') return [];
  const out: number[] = [];
  for (const x of v.split(',')) {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 0) return [];
    out.push(n);
  }
  return out;
}
