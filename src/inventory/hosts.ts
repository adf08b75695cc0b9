// What connections and TCP SYNs say about each address and MAC: when it was seen, which MACs
// sent its packets, which ports it answered on (services offered), which protocols it spoke,
// and its first SYN / SYN+ACK for p0f. Fed once per ended connection and once per SYN, so every
// update is a few numeric Map probes; every table and list is bounded and counts what it drops.
import { formatAddr } from '../decode/packet.js';
import { PROTO_TCP, PROTO_UDP, type Conn } from '../flow/conn.js';
import { serviceAnswered } from '../flow/known.js';
import { ipIsHost, parseV4, v4NotHost } from './addr.js';
import { V4Table } from '../util/v4table.js';

/** Addresses tracked at most (further ones are counted in `dropped.hosts`). */
export const MAX_HOSTS = 100_000;
export const MAX_MACS = 50_000;
/** MACs remembered per address: more means an address conflict or a spoofer, never a device. */
export const MAX_MACS_PER_HOST = 4;
/** Addresses remembered per MAC: enough to tell a router (many) from a host (one or two). */
export const MAX_IPS_PER_MAC = 256;
export const MAX_SERVICES_PER_HOST = 32;
export const MAX_PROTOCOLS_PER_HOST = 24;
export const MAX_VLANS_PER_HOST = 4;
/** Highest port counted as a UDP service without an analyzer confirming the protocol. */
const UDP_SERVICE_PORT_MAX = 49151;

export interface SvcObs {
  proto: number;
  port: number;
  /** Confirmed service name(s), '' when only the handshake/answer says the port is open. */
  name: string;
  file: string;
  packet: number;
  ts: number;
  conns: number;
}

/**
 * A SYN or SYN+ACK kept for p0f: the IP and TCP headers copied out of the capture buffer and
 * the decoded fields p0f reads, turned into an observation only when the inventory is built
 * (most hosts' first SYN is never looked at twice, and building an observation allocates).
 */
export interface SynSeen {
  headers: Uint8Array;
  ipVersion: number;
  ipHdrLen: number;
  /** Offset of the TCP header in `headers` (the IP header and any IPv6 extension headers). */
  tcpOff: number;
  tcpHdrLen: number;
  ttl: number;
  ipId: number;
  df: boolean;
  tos: number;
  flowLabel: number;
  flags: number;
  seq: number;
  ack: number;
  window: number;
  payloadLen: number;
  /** For a SYN+ACK: the MSS of the SYN it answers, when known. */
  synMss?: number;
  /** The frame's source MAC (0 without an Ethernet header): whose interface put it on the wire. */
  mac: number;
  file: string;
  packet: number;
  ts: number;
}

export class HostObs {
  first = Infinity;
  last = -Infinity;
  firstFile = '';
  firstPacket = 0;
  /** The address sent at least one packet (a destination alone is not a device). */
  sent = false;
  /**
   * Something answered it, or it answered, or it said something: a connection of its got a reply,
   * carried payload (a capture may hold one direction only), began before the capture did (no SYN
   * first), or was not TCP (UDP telemetry such as syslog and traps is one-way by design). Only bare
   * SYNs nothing answered leave it false.
   */
  answered = false;
  /** Packets the address sent, all its connections together (a flood's forged source sends one). */
  pktsSent = 0;
  /**
   * MACs that sent this address's packets, with connection counts: the first inline (almost
   * every address has one), others in `moreMacs`. The MacObs is kept so repeats skip the table.
   */
  mac0 = 0;
  conns0 = 0;
  obs0: MacObs | null = null;
  moreMacs: { mac: number; conns: number; obs: MacObs }[] | null = null;
  /** Created on first use: most addresses offer nothing and speak one protocol or none. */
  services: Map<number, SvcObs> | null = null;
  protocols: string[] | null = null;
  vlans: number[] | null = null;
  /** The address's first SYN and first SYN+ACK (p0f and the initial TTL). */
  syn: SynSeen | null = null;
  synAck: SynSeen | null = null;
  asClient = 0;
  asServer = 0;

  /** `v4`: the IPv4 address as a number, -1 for IPv6. */
  constructor(
    readonly ip: string,
    readonly v4 = -1,
  ) {}

  touch(t0: number, t1: number, file: string, packet: number): void {
    if (t0 < this.first) {
      this.first = t0;
      this.firstFile = file;
      this.firstPacket = packet;
    }
    if (t1 > this.last) this.last = t1;
  }

  /** The MACs and their connection counts (build time). */
  macList(): { mac: number; conns: number }[] {
    const out: { mac: number; conns: number }[] = [];
    if (this.obs0 !== null) out.push({ mac: this.mac0, conns: this.conns0 });
    if (this.moreMacs !== null) for (const e of this.moreMacs) out.push({ mac: e.mac, conns: e.conns });
    return out;
  }
}

/**
 * Copies of SYN headers, packed into shared chunks: one ArrayBuffer per SYN would cost an
 * allocation the garbage collector tracks separately, for tens of thousands of hosts.
 */
export class HeaderSlab {
  private static readonly CHUNK = 256 * 1024;
  private chunk = new Uint8Array(HeaderSlab.CHUNK);
  private off = 0;

  copy(src: Uint8Array, start: number, end: number): Uint8Array {
    const n = end - start;
    if (this.off + n > this.chunk.length) {
      this.chunk = new Uint8Array(Math.max(HeaderSlab.CHUNK, n));
      this.off = 0;
    }
    const at = this.off;
    this.chunk.set(src.subarray(start, end), at);
    this.off += n;
    return this.chunk.subarray(at, at + n);
  }
}

export class MacObs {
  first = Infinity;
  last = -Infinity;
  firstFile = '';
  firstPacket = 0;
  /** Addresses whose packets this MAC sent (IPv4 as numbers, IPv6 as text). */
  readonly v4 = new Set<number>();
  readonly v6 = new Set<string>();
  ipsDropped = 0;

  constructor(readonly mac: number) {}

  touch(t0: number, t1: number, file: string, packet: number): void {
    if (t0 < this.first) {
      this.first = t0;
      this.firstFile = file;
      this.firstPacket = packet;
    }
    if (t1 > this.last) this.last = t1;
  }
}

export class HostTable {
  readonly v4 = new V4Table<HostObs>();
  readonly v6 = new Map<string, HostObs>();
  readonly macs = new Map<number, MacObs>();
  readonly dropped = { hosts: 0, macs: 0 };

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** The record of an address given as four words, or null for a non-host address or a full table. */
  host(w0: number, w1: number, w2: number, w3: number): HostObs | null {
    if (w0 === 0 && w1 === 0 && w2 === 0xffff) {
      const v = w3 >>> 0;
      let h = this.v4.get(v);
      if (h !== undefined) return h;
      if (v4NotHost(v)) return null;
      if (this.size >= MAX_HOSTS) {
        this.dropped.hosts++;
        return null;
      }
      h = new HostObs(formatAddr(w0, w1, w2, w3), v);
      this.v4.set(v, h);
      return h;
    }
    const s = formatAddr(w0, w1, w2, w3);
    return this.hostByText(s);
  }

  hostByText(ip: string, create = true): HostObs | null {
    const isV6 = ip.includes(':');
    let h: HostObs | undefined;
    if (isV6) h = this.v6.get(ip);
    else {
      const v = parseV4(ip);
      h = this.v4.get(v);
      if (h === undefined && create && ipIsHost(ip)) {
        if (this.size >= MAX_HOSTS) {
          this.dropped.hosts++;
          return null;
        }
        h = new HostObs(ip, v);
        this.v4.set(v, h);
      }
      return h ?? null;
    }
    if (h === undefined && create && ipIsHost(ip)) {
      if (this.size >= MAX_HOSTS) {
        this.dropped.hosts++;
        return null;
      }
      h = new HostObs(ip);
      this.v6.set(ip, h);
    }
    return h ?? null;
  }

  macObs(mac: number): MacObs | null {
    let o = this.macs.get(mac);
    if (o !== undefined) return o;
    if (this.macs.size >= MAX_MACS) {
      this.dropped.macs++;
      return null;
    }
    o = new MacObs(mac);
    this.macs.set(mac, o);
    return o;
  }

  /** `mac` sent packets from `h`'s address. */
  link(h: HostObs, mac: number, v4: number, t0: number, t1: number, file: string, packet: number): void {
    if (h.mac0 === mac) {
      h.conns0++;
      h.obs0!.touch(t0, t1, file, packet);
      return;
    }
    if (h.moreMacs !== null) {
      for (const e of h.moreMacs) {
        if (e.mac === mac) {
          e.conns++;
          e.obs.touch(t0, t1, file, packet);
          return;
        }
      }
    }
    const o = this.macObs(mac);
    if (o === null) return;
    if (h.obs0 === null) {
      h.mac0 = mac;
      h.conns0 = 1;
      h.obs0 = o;
    } else if ((h.moreMacs?.length ?? 0) < MAX_MACS_PER_HOST - 1) {
      (h.moreMacs ??= []).push({ mac, conns: 1, obs: o });
    }
    o.touch(t0, t1, file, packet);
    if (v4 >= 0) {
      if (!o.v4.has(v4)) {
        if (o.v4.size + o.v6.size < MAX_IPS_PER_MAC) o.v4.add(v4);
        else o.ipsDropped++;
      }
    } else if (!o.v6.has(h.ip)) {
      if (o.v4.size + o.v6.size < MAX_IPS_PER_MAC) o.v6.add(h.ip);
      else o.ipsDropped++;
    }
  }

  /** One ended connection. */
  conn(c: Conn, file: string): void {
    const t0 = c.startSec + c.startNsec / 1e9;
    const t1 = c.lastTs;
    const proto = c.proto;
    // A protocol the responder never answered in (a scanner's probe to a silent server) is
    // neither side's: the client only tried it.
    const service = serviceAnswered(c) ? c.service : '';
    const o = this.host(c.o0, c.o1, c.o2, c.o3);
    if (o !== null) {
      o.touch(t0, t1, file, c.firstPacket);
      o.sent = true;
      o.pktsSent += c.origPkts;
      if (!c.bareAttempt) o.answered = true;
      o.asClient++;
      const mac = c.origMac;
      if (mac !== 0) this.link(o, mac, c.o2 === 0xffff && c.o0 === 0 && c.o1 === 0 ? c.o3 >>> 0 : -1, t0, t1, file, c.firstPacket);
      if (service !== '') addProtocol(o, service);
      addVlan(o, c.vlan);
    }
    if (c.respPkts === 0) return;
    const r = this.host(c.r0, c.r1, c.r2, c.r3);
    if (r === null) return;
    r.touch(t0, t1, file, c.firstPacket);
    r.sent = true;
    r.pktsSent += c.respPkts;
    r.answered = true;
    r.asServer++;
    const mac = c.respMac;
    if (mac !== 0) this.link(r, mac, c.r2 === 0xffff && c.r0 === 0 && c.r1 === 0 ? c.r3 >>> 0 : -1, t0, t1, file, c.firstPacket);
    if (service !== '') addProtocol(r, service);
    addVlan(r, c.vlan);
    let offered = service !== '';
    if (!offered && proto === PROTO_TCP) offered = c.handshakeDone && !c.partial;
    else if (!offered && proto === PROTO_UDP) offered = c.rPort <= UDP_SERVICE_PORT_MAX && c.rPort < c.oPort;
    if (!offered || (proto !== PROTO_TCP && proto !== PROTO_UDP)) return;
    const key = proto * 65536 + c.rPort;
    r.services ??= new Map();
    const s = r.services.get(key);
    if (s !== undefined) {
      s.conns++;
      if (service !== '' && s.name === '') s.name = service;
    } else if (r.services.size < MAX_SERVICES_PER_HOST) {
      r.services.set(key, { proto, port: c.rPort, name: service, file, packet: c.firstPacket, ts: t0, conns: 1 });
    }
  }
}

function addProtocol(h: HostObs, service: string): void {
  const p = (h.protocols ??= []);
  if (p.length < MAX_PROTOCOLS_PER_HOST && !p.includes(service)) p.push(service);
}

function addVlan(h: HostObs, vlan: number): void {
  if (vlan < 0) return;
  const v = (h.vlans ??= []);
  if (v.length < MAX_VLANS_PER_HOST && !v.includes(vlan)) v.push(vlan);
}
