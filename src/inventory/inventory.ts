// The device inventory (issue 4): fed by the engine while captures are analysed — analyzer
// events, ended connections, TCP SYNs — into bounded tables, then built once into the report's
// devices[] with a knowledge base. Same captures + same knowledge base + same asOf give the
// same devices, byte for byte: every list is sorted and no wall-clock time is read.
import type { AppEvent } from '../analyzers/types.js';
import { connTunneled } from '../analyzers/host.js';
import { TCP_ACK, type PacketMeta } from '../decode/packet.js';
import { PROTO_TCP, PROTO_UDP, type Conn } from '../flow/conn.js';
import { DecoyTracker } from '../flow/decoys.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { DEFAULT_KB_DIR, type KnowledgeBase } from '../knowledge/kb.js';
import type { Device } from '../report/model.js';
import { buildDevice } from './device.js';
import { MAX_EVIDENCE } from './evidence.js';
import { FactStore, type Fact } from './facts.js';
import { ipIsPrivate, v4Local } from './addr.js';
import { HeaderSlab, HostTable, type SynSeen } from './hosts.js';
import { assemble } from './identity.js';
import { Links, ObserveCtx, type DhcpFingerprint } from './observe-ctx.js';
import { HANDLERS } from './observe.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, RULES_FILE, type Rule } from './rules.js';

export interface BuildOptions {
  /** ISO date (YYYY-MM-DD) end of support is judged against; default the knowledge base's date. */
  asOf?: string;
  /** Classification rules; default `<kb dir>/rules/classify.rules` (or the bundled file). */
  rules?: readonly Rule[];
  /** Evidence entries per device (default 64). */
  maxEvidence?: number;
  /** Also list hosts behind a router whose address is public; default: as the Inventory was made. */
  external?: boolean;
}

export interface InventoryStats {
  events: number;
  conns: number;
  syns: number;
  /** Event handlers that threw (a malformed event); the event was skipped. */
  failures: number;
  dropped: Record<string, number>;
}

/** The knowledge base's date: the newest of its sources' dates. */
export function kbDate(kb: KnowledgeBase): string {
  let d = '';
  for (const s of kb.manifest.sources) if (s.date > d) d = s.date;
  return d;
}

/** Most packets either way of an attempt compared for decoy copies (a SYN, its retries, a RST or SYN+ACK). */
const DECOY_PROBE_MAX_PKTS = 6;

const TCPOPT_EOL = 0;
const TCPOPT_NOP = 1;
const TCPOPT_MSS = 2;

/** The MSS option of a kept SYN (RFC 9293 §3.7.1), 0 when absent. */
function mssOf(s: SynSeen): number {
  const b = s.headers;
  let p = s.tcpOff + 20;
  const end = s.tcpOff + s.tcpHdrLen;
  while (p < end) {
    const k = b[p];
    if (k === TCPOPT_EOL) break;
    if (k === TCPOPT_NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end || b[p + 1] < 2) break;
    if (k === TCPOPT_MSS && b[p + 1] === 4 && p + 4 <= end) return (b[p + 2] << 8) | b[p + 3];
    p += b[p + 1];
  }
  return 0;
}

export interface InventoryOptions {
  /**
   * List hosts behind a router whose address is public (Internet peers) too. Default false:
   * devices are the MACs on the captured segments and the private-address hosts routed to
   * them, and public addresses' SYNs are not kept for p0f (most are Internet servers).
   */
  external?: boolean;
}

export class Inventory {
  readonly hosts = new HostTable();
  private readonly slab = new HeaderSlab();
  readonly facts = new FactStore();
  readonly links = new Links();
  /** Decoy scans: source addresses one MAC sent copies of its probes from (src/flow/decoys.ts). */
  private readonly decoys = new DecoyTracker();
  private readonly ctx = new ObserveCtx(this.facts, this.links);
  private events = 0;
  private conns = 0;
  private syns = 0;
  private failures = 0;
  /** Public addresses behind a router that the last build() left out (see BuildOptions.external). */
  externalPeers = 0;
  /** Addresses the last build() left out as forged sources: TCP attempts nothing answered, or one packet each from subnets of their own behind one MAC. */
  unansweredSources = 0;
  /** Their addresses, as of the last build. */
  forgedSources: ReadonlySet<string> = new Set();
  /** MACs the last build() left out as a CDP/LLDP flood's made-up devices. */
  floodAnnouncers = 0;
  /** MACs left out as a unicast MAC flood's made-up sources (report.json not_devices.flood_sources). */
  floodSources = 0;
  private readonly external: boolean;

  constructor(opts: InventoryOptions = {}) {
    this.external = opts.external === true;
    this.links.keepPublicNames = this.external;
  }

  /**
   * One analyzer event (engine onEvent). `file` is the capture path of the event's packet (see
   * hooks.ts: inventoryHooks() wires the engine with the right paths).
   */
  observeEvent(ev: AppEvent, c: Conn | null, m: PacketMeta, file: string): void {
    const h = HANDLERS[ev.type];
    if (h === undefined) return;
    this.events++;
    const x = this.ctx;
    x.ev = ev;
    x.c = c;
    x.tunneled = c !== null && connTunneled(c);
    x.file = file;
    x.packet = typeof ev.packet === 'number' ? ev.packet : m.packetNo;
    if (typeof ev.tsSec === 'number') x.ts = ev.tsSec + (typeof ev.tsNsec === 'number' ? ev.tsNsec : 0) / 1e9;
    else if (typeof ev.ts_sec === 'number') x.ts = ev.ts_sec + (typeof ev.ts_nsec === 'number' ? ev.ts_nsec : 0) / 1e9;
    // An event about an earlier packet of its connection (emitted at the connection's end) is
    // dated no later than the connection's last packet.
    else x.ts = c !== null && x.packet !== m.packetNo && c.lastTs < m.ts ? c.lastTs : m.ts;
    x.ttl = m.ipVersion !== 0 ? m.ttl : 0;
    try {
      h(x);
    } catch {
      this.failures++;
    }
    x.c = null;
    x.tunneled = false;
  }

  /** One ended connection (engine onConn). */
  observeConn(c: Conn, file: string): void {
    this.conns++;
    this.hosts.conn(c, file);
    // A failed attempt without payload: compared with the same MAC's others for decoy copies.
    if (c.origMac !== 0 && c.origPkts <= DECOY_PROBE_MAX_PKTS && (c.proto === PROTO_TCP ? c.respPkts <= DECOY_PROBE_MAX_PKTS : c.proto === PROTO_UDP && c.respPkts === 0) && c.origBytes === 0 && c.respBytes === 0) {
      this.decoys.probe(c.origMac, { orig: origAddr(c), resp: respAddr(c), proto: c.proto, oPort: c.oPort, rPort: c.rPort, start: c.startSec + c.startNsec / 1e9, file, packet: c.firstPacket });
    }
  }

  /** A TCP packet with SYN set (engine onSyn): the sender's first SYN and SYN+ACK are kept for p0f. */
  observeSyn(m: PacketMeta, file: string): void {
    this.syns++;
    const s = m.src;
    const h = this.hosts.host(s[0], s[1], s[2], s[3]);
    if (h === null || (!this.external && !(h.v4 >= 0 ? v4Local(h.v4) : ipIsPrivate(h.ip)))) return;
    const isAck = (m.tcpFlags & TCP_ACK) !== 0;
    if ((isAck ? h.synAck !== null : h.syn !== null) || m.reassembled || (m.ipVersion !== 4 && m.ipVersion !== 6)) return;
    const seen: SynSeen = {
      headers: this.slab.copy(m.buf, m.l3Off, m.l4Off + m.tcpHdrLen),
      ipVersion: m.ipVersion,
      ipHdrLen: m.ipHdrLen,
      tcpOff: m.l4Off - m.l3Off,
      tcpHdrLen: m.tcpHdrLen,
      ttl: m.ttl,
      ipId: m.ipId,
      df: m.df,
      tos: m.tos,
      flowLabel: m.ipFlowLabel,
      flags: m.tcpFlags,
      seq: m.seq,
      ack: m.ack,
      window: m.window,
      payloadLen: m.payloadLen,
      mac: m.srcMac,
      file,
      packet: m.packetNo,
      ts: m.ts,
    };
    if (isAck) {
      // p0f sizes some SYN+ACK windows on the client's MSS: the client's first SYN tells it.
      const d = m.dst;
      const peer = this.hosts.host(d[0], d[1], d[2], d[3]);
      const syn = peer?.syn;
      if (syn != null) {
        const mss = mssOf(syn);
        if (mss > 0) seen.synMss = mss;
      }
      h.synAck = seen;
      h.answered = true;
    } else {
      h.syn = seen;
    }
    h.sent = true;
    h.touch(m.ts, m.ts, file, m.packetNo);
  }

  stats(): InventoryStats {
    return {
      events: this.events,
      conns: this.conns,
      syns: this.syns,
      failures: this.failures,
      dropped: {
        hosts: this.hosts.dropped.hosts,
        macs: this.hosts.dropped.macs,
        subjects: this.facts.dropped.subjects,
        facts: this.facts.dropped.facts,
        bindings: this.links.dropped.bindings,
        fingerprints: this.links.dropped.fingerprints,
        dns_names: this.links.dropped.dnsNames,
      },
    };
  }

  /** The devices seen, sorted by id. */
  build(kb: KnowledgeBase, opts: BuildOptions = {}): Device[] {
    const rules = opts.rules ?? loadRules(existsSync(join(kb.dir, RULES_FILE)) ? kb.dir : DEFAULT_KB_DIR);
    const asOf = opts.asOf ?? kbDate(kb);
    const fps = new Map<string, DhcpFingerprint[]>();
    for (const fp of this.links.dhcp) {
      const l = fps.get(fp.subject);
      if (l === undefined) fps.set(fp.subject, [fp]);
      else l.push(fp);
    }
    const none: readonly Fact[] = [];
    const ctx = {
      kb,
      rules,
      asOf,
      maxEvidence: opts.maxEvidence ?? MAX_EVIDENCE,
      facts: (s: string): readonly Fact[] => this.facts.subjects.get(s)?.facts ?? none,
      fingerprints: (s: string): readonly DhcpFingerprint[] => fps.get(s) ?? [],
      dnsName: (ip: string) => this.links.dnsNames.get(ip),
    };
    const { drafts, externalPeers, unanswered, forged, announcersDropped, floodSourcesDropped } = assemble(this.hosts, this.facts, this.links, { external: opts.external ?? this.external, decoys: this.decoys.all() });
    this.externalPeers = externalPeers;
    this.unansweredSources = unanswered;
    this.forgedSources = new Set(forged);
    this.floodAnnouncers = announcersDropped;
    this.floodSources = floodSourcesDropped;
    return drafts.map((d) => buildDevice(d, ctx));
  }
}
