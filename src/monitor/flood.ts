// Denial-of-service floods from ended connections: packets a host receives that no connection
// wanted, counted per target and kind in a tumbling window (floodWindowSecs). A window that
// reaches floodPackets at floodPps or more (its packets over the time its connections span, at
// least a second) is a flood:
//  - syn: TCP attempts that never got going (the scan detector's failed attempts: S0, REJ, a
//    SYN-ACK answered by the originator's own RST when the source is real, …), and half-open
//    ones: one SYN, the target's SYN-ACK, nothing more from the source (Zeek history Sh), which
//    is what a live server does with a SYN flood from forged sources (its SYN-ACKs go to
//    addresses that never answer): hping3 -S, SYN floods from spoofed sources (each its own
//    connection);
//  - tcp: TCP without a SYN and without data either way, the responder resetting it or the flow
//    at most two packets (ACK, FIN, RST and PSH floods: hping3 -A/-F/-P); a one-direction capture
//    of a long transfer shows pure ACKs too, but as one long flow the target never resets;
//  - udp: unicast UDP the target never answered (a closed port's ICMP unreachable does not
//    count as an answer), except the one-way services that are unanswered by design (syslog,
//    flow export, SNMP traps, RTP media) and UDP traceroute's ports;
//  - icmp: echo requests (ping -f, hping3 --icmp), answered or not;
//  - MQTT, from the analyzer's messages: one client's CONNECTs to one broker (mqttConnectFlood
//    within the window: a client connects once and stays), and its PUBLISHes (mqttPublishFlood
//    within the window, 500 a second: sensors publish a few a second, gateways some tens).
// Floods aim at a port or a few: packets spread over as many ports (fast port scans) are not one.
// A flood knocks a patient monitor or an infusion pump's server off the network as surely as
// malware does; the alert is on the target, the peer the source when there is one (spoofed
// floods come from thousands).
import type { Evidence } from '../report/model.js';
import { raiseSeverity, RULES } from './rules.js';
import { isMedIot } from './lateral.js';
import { connEvidence, eventEvidence, eventFile, type ConnView, type DetectorContext } from './view.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { isEchoRequest, isGroupDestination, isTraceroutePort, probeKind } from './scan.js';
import { evictOldest } from '../util/evict.js';

type FloodKind = 'syn' | 'tcp' | 'udp' | 'icmp' | 'mqtt-connect' | 'mqtt-publish';

const KIND_WORDS: Record<FloodKind, string> = {
  syn: 'TCP SYN packets that opened no connection (SYN flood)',
  tcp: 'TCP packets outside any connection, without a SYN (ACK/FIN/RST flood)',
  udp: 'unanswered UDP datagrams (UDP flood)',
  icmp: 'ICMP echo requests (ping flood)',
  'mqtt-connect': 'MQTT CONNECTs (connection flood)',
  'mqtt-publish': 'MQTT PUBLISH messages (publish flood)',
};

/** Services whose UDP is one-way by design: never a flood by being unanswered. */
const ONE_WAY_UDP = new Set(['syslog', 'netflow', 'ipfix', 'sflow', 'snmp', 'rtp', 'rtcp', 'srtp', 'srtcp', 'udptl']);
/** A no-SYN TCP flow this short is one forged packet (and its answer), not a stream caught mid-way. */
const SHORT_TCP_PKTS = 2;
/** Sources remembered per window (past it they are counted, not listed). */
const MAX_SOURCES_PER_WINDOW = 256;
/** Ports remembered per window; and the packets per port a flood has at least. */
const MAX_PORTS_PER_WINDOW = 1024;
const FLOOD_PKTS_PER_PORT = 10;

interface FloodWindow {
  start: number;
  first: number;
  last: number;
  packets: number;
  conns: number;
  sources: Set<string>;
  /** Target ports hit (TCP, UDP), up to MAX_PORTS_PER_WINDOW. */
  ports: Set<number>;
  /** Sources beyond the remembered set (each unseen one counted once more, an upper bound). */
  moreSources: number;
  evidence: Evidence[];
  /** The kind's alert was raised for this window (further connections add to its count). */
  raised: boolean;
}

/**
 * One SYN the target answered with SYN-ACK, and nothing more from the source, no reset either
 * way (Zeek history Sh): the source never completed the handshake. A real client sends its ACK
 * (a one-direction capture shows neither the SYN-ACK nor the rest); a forged source cannot.
 */
export function halfOpen(v: ConnView): boolean {
  return v.tcp && v.origSyn && v.synNoData && v.origPkts === 1 && v.answered && !v.respRst;
}

/** The flood kind a finished connection counts toward, or null. */
export function floodKind(v: ConnView): FloodKind | null {
  if (v.tcp) {
    if (probeKind(v) === 'tcp' || halfOpen(v)) return 'syn';
    if (!v.origSyn && v.origBytes === 0 && v.respBytes === 0 && (v.respRst || v.origPkts <= SHORT_TCP_PKTS)) return 'tcp';
    return null;
  }
  if (v.proto === 'udp') {
    if (v.respPkts !== 0 || isTraceroutePort(v.rPort) || isGroupDestination(v)) return null;
    if (v.service !== '') for (const s of v.service.split(',')) if (ONE_WAY_UDP.has(s)) return null;
    return 'udp';
  }
  if (v.proto === 'icmp') return isEchoRequest(v) && !isGroupDestination(v) ? 'icmp' : null;
  return null;
}

/** Long flows being judged while they run (a ping flood is one flow): at most this many at once. */
const MAX_RUNNING = 1024;

function flowKey(v: ConnView): string {
  return `${v.proto}|${v.orig}|${v.oPort}|${v.resp}|${v.rPort}|${v.start}`;
}

export class FloodDetector {
  private readonly windows = new Map<string, FloodWindow>();
  /** Forged-source windows, by source MAC and VLAN. */
  private readonly spoofs = new Map<string, FloodWindow>();
  /** Flows that already raised a flood while running → the packets counted into it so far. */
  private readonly running = new Map<string, number>();
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {}

  /**
   * A flow still running that has sent another 1,024 packets: a flood from one flow (ping -f,
   * hping3 with a fixed source port) is raised now, not when the flow goes quiet, and its later
   * packets are added as they come and when it ends. Floods of many flows wait for their ends.
   */
  onProgress(v: ConnView): void {
    const kind = floodKind(v);
    if (kind === null || kind === 'syn') return;
    const cfg = this.ctx.cfg;
    const fk = flowKey(v);
    const done = this.running.get(fk);
    if (done === undefined) {
      if (v.origPkts < cfg.floodPackets || v.origPkts / Math.max(1, v.end - v.start) < cfg.floodPps || this.running.size >= MAX_RUNNING) return;
      const open = this.ctx.book.get('dos-flood', `flood|${v.resp}|${kind}`) !== undefined;
      this.raise(v, kind, flowWindow(v), open ? { inc: v.origPkts } : { count: v.origPkts }, [connEvidence(v, 'flood-packet')]);
    } else if (v.origPkts > done) this.raise(v, kind, flowWindow(v), { inc: v.origPkts - done }, []);
    this.running.set(fk, v.origPkts);
  }

  onConn(v: ConnView): void {
    const kind = floodKind(v);
    if (kind === null || v.origPkts === 0) return;
    // TCP only: unanswered UDP or pings from many addresses are also what a one-direction capture
    // (an asymmetric route, one side of a tap) shows of a router's hosts, and a DNS outage.
    if (kind === 'syn' && (v.bareAttempt || halfOpen(v)) && v.origInternal && v.origMac !== null) this.forged(v, kind);
    if (this.running.size > 0) {
      const fk = flowKey(v);
      const done = this.running.get(fk);
      if (done !== undefined) {
        // Raised while it ran: only what it sent since.
        this.running.delete(fk);
        if (v.origPkts > done) this.raise(v, kind, flowWindow(v), { inc: v.origPkts - done }, []);
        return;
      }
    }
    const cfg = this.ctx.cfg;
    const w = this.window(this.windows, `${v.resp}|${kind}`, v.start, cfg.floodWindowSecs);
    if (w.packets === 0) w.last = v.end;
    // A SYN flood's packets are its SYNs: a real source's kernel resets each SYN-ACK (RSTO).
    const pkts = kind === 'syn' && (v.state === 'RSTO' || v.state === 'RSTOS0') && v.origPkts > 1 ? v.origPkts - 1 : v.origPkts;
    w.packets += pkts;
    w.conns++;
    if (v.start < w.first) w.first = v.start;
    if (v.end > w.last) w.last = v.end;
    if (!w.sources.has(v.orig)) {
      if (w.sources.size < MAX_SOURCES_PER_WINDOW) w.sources.add(v.orig);
      else w.moreSources++;
    }
    if (w.raised) {
      this.raise(v, kind, w, { inc: pkts }, []);
      return;
    }
    if (kind !== 'icmp' && w.ports.size < MAX_PORTS_PER_WINDOW) w.ports.add(v.rPort);
    if (w.evidence.length < cfg.maxEvidence) w.evidence.push(connEvidence(v, 'flood-packet'));
    const rate = w.packets / Math.max(1, w.last - w.first);
    // Floods aim at a port or a few (a service to exhaust); as many ports as packets is a fast
    // port scan (nmap -T4 sends hundreds of SYNs a second, one or two a port): the scan detector's.
    const concentrated = kind === 'icmp' || w.packets >= FLOOD_PKTS_PER_PORT * w.ports.size;
    if (w.packets >= cfg.floodPackets && rate >= cfg.floodPps && concentrated) {
      w.raised = true;
      // A flood that goes on into a new window adds to the alert still open.
      const open = this.ctx.book.get('dos-flood', `flood|${v.resp}|${kind}`) !== undefined;
      this.raise(v, kind, w, open ? { inc: w.packets } : { count: w.packets }, w.evidence);
      w.evidence = [];
    }
  }

  /**
   * Forged internal sources: many different addresses of the site's own networks sending, through
   * one MAC, SYNs that never became connections (nothing answered, or the target's SYN-ACK went
   * unacknowledged). A host has one address (or a few); a router forwards for many, but their
   * clients complete their handshakes (a one-direction capture still shows each client's ACK and
   * data after its SYN). hping3 --rand-source and flooders spread their
   * packets over random sources (and targets too, where no per-target window fills): the MAC is
   * where the flood enters the network, the switch port to shut.
   */
  private forged(v: ConnView, kind: FloodKind): void {
    const cfg = this.ctx.cfg;
    const key = `${v.origMac!}|${v.vlan}`;
    const w = this.window(this.spoofs, key, v.start, cfg.spoofFloodWindowSecs);
    w.packets += v.origPkts;
    w.conns++;
    if (v.end > w.last) w.last = v.end;
    if (w.raised) {
      this.raiseForged(v, kind, w, { inc: v.origPkts }, []);
      return;
    }
    if (w.sources.size < cfg.spoofFloodSources) w.sources.add(v.orig);
    if (w.evidence.length < cfg.maxEvidence) w.evidence.push(connEvidence(v, 'forged-source'));
    if (w.sources.size < cfg.spoofFloodSources) return;
    w.raised = true;
    const open = this.ctx.book.get('dos-flood', `forged|${key}`) !== undefined;
    this.raiseForged(v, kind, w, open ? { inc: w.packets } : { count: w.packets }, w.evidence);
    w.evidence = [];
  }

  private raiseForged(v: ConnView, kind: FloodKind, w: FloodWindow, n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    const ctx = this.ctx;
    const mac = v.origMac!;
    const key = `forged|${mac}|${v.vlan}`;
    const count = n.count ?? (ctx.book.get('dos-flood', key)?.count ?? 0) + (n.inc ?? 0);
    const span = Math.max(w.last - w.first, 0);
    ctx.book.observe({
      rule: 'dos-flood',
      key,
      device: `mac:${mac}`,
      peer: null,
      ts: w.first,
      ...n,
      why: `forged-source flood from ${mac}${v.vlan >= 0 ? ` on VLAN ${v.vlan}` : ''}: ${ctx.cfg.spoofFloodSources} or more different internal addresses sent ${count.toLocaleString('en-US')} ${KIND_WORDS[kind]} through this one MAC within ${span.toFixed(1)} s, none of them completing a connection (latest to ${v.resp}): a host has one address and a router's hosts complete their handshakes, so the sources are made up; the MAC is the switch port the flood enters by`,
      evidence,
    });
  }

  /** MQTT floods, counted message by message from the analyzer's events. */
  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null) return;
    let kind: FloodKind;
    if (ev.type === 'mqtt.connect') kind = 'mqtt-connect';
    else if (ev.type === 'mqtt.publish' && ev.from_client === true) kind = 'mqtt-publish';
    else return;
    const cfg = this.ctx.cfg;
    const client = origAddr(c);
    const broker = respAddr(c);
    const w = this.window(this.windows, `${broker}|${kind}|${client}`, m.ts, cfg.floodWindowSecs);
    if (w.packets === 0) w.sources.add(client);
    w.packets++;
    w.last = m.ts;
    const brokerMac = c.respMac === 0 ? null : formatMac(c.respMac);
    if (w.raised) {
      this.raiseOn(broker, brokerMac, c.rPort, kind, w, { inc: 1 }, []);
      return;
    }
    if (w.evidence.length < cfg.maxEvidence) {
      const what = kind === 'mqtt-connect' ? `CONNECT from ${client} as client id ${JSON.stringify(String(ev.client_id ?? '')).slice(0, 80)}` : `PUBLISH from ${client} to topic ${JSON.stringify(String(ev.topic ?? '')).slice(0, 120)}`;
      w.evidence.push(eventEvidence('flood-message', what, kind === 'mqtt-connect' ? 'mqtt.client_id' : 'mqtt.topic', ev, c, m, eventFile(this.ctx, ev, c, m)));
    }
    if (w.packets >= (kind === 'mqtt-connect' ? cfg.mqttConnectFlood : cfg.mqttPublishFlood)) {
      w.raised = true;
      const open = this.ctx.book.get('dos-flood', `flood|${broker}|${kind}`) !== undefined;
      this.raiseOn(broker, brokerMac, c.rPort, kind, w, open ? { inc: w.packets } : { count: w.packets }, w.evidence);
      w.evidence = [];
    }
  }

  /** The window of `key` in `map` that `ts` falls in: the current one, or a new one of `secs` (the oldest dropped past maxSources). */
  private window(map: Map<string, FloodWindow>, key: string, ts: number, secs: number): FloodWindow {
    let w = map.get(key);
    if (w !== undefined && ts - w.start <= secs) return w;
    if (w !== undefined) map.delete(key);
    else if (map.size >= this.ctx.cfg.maxSources) {
      evictOldest(map);
      this.evicted++;
    }
    w = { start: ts, first: ts, last: ts, packets: 0, conns: 0, sources: new Set(), ports: new Set(), moreSources: 0, evidence: [], raised: false };
    map.set(key, w);
    return w;
  }

  /** Drops windows that ended (housekeeping, network time `now`): a flood's connections end within a timeout of it. */
  expire(now: number): void {
    const horizon = this.ctx.cfg.floodWindowSecs + LATE_SECS;
    for (const [k, w] of this.windows) if (now - w.start > horizon) this.windows.delete(k);
    const spoofHorizon = this.ctx.cfg.spoofFloodWindowSecs + LATE_SECS;
    for (const [k, w] of this.spoofs) if (now - w.start > spoofHorizon) this.spoofs.delete(k);
  }

  size(): number {
    return this.windows.size + this.running.size + this.spoofs.size;
  }

  private raise(v: ConnView, kind: FloodKind, w: FloodWindow, n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    this.raiseOn(v.resp, v.respMac, v.rPort, kind, w, n, evidence);
  }

  private raiseOn(target: string, targetMac: string | null, port: number, kind: FloodKind, w: FloodWindow, n: { inc?: number; count?: number }, evidence: Evidence[]): void {
    const ctx = this.ctx;
    const cfg = ctx.cfg;
    const cat = ctx.category(target, targetMac);
    const medIot = isMedIot(cat);
    const severity = medIot ? raiseSeverity(RULES['dos-flood'].severity) : RULES['dos-flood'].severity;
    const key = `flood|${target}|${kind}`;
    const count = n.count ?? (ctx.book.get('dos-flood', key)?.count ?? 0) + (n.inc ?? 0);
    const nSources = w.sources.size + w.moreSources;
    const span = Math.max(w.last - w.first, 0);
    const single = nSources === 1 ? [...w.sources][0] : null;
    const from = single !== null ? `from ${single}` : `from ${w.moreSources > 0 ? 'at most ' : ''}${nSources.toLocaleString('en-US')} sources${nSources >= 100 ? ' (forged or distributed)' : ''}`;
    const who = medIot ? `${cat} device ${target}` : target;
    const mqtt = kind === 'mqtt-connect' || kind === 'mqtt-publish';
    const threshold = kind === 'mqtt-connect' ? `${cfg.mqttConnectFlood} in ${cfg.floodWindowSecs} s` : kind === 'mqtt-publish' ? `${cfg.mqttPublishFlood} in ${cfg.floodWindowSecs} s` : `${cfg.floodPackets} at ${cfg.floodPps}/s`;
    ctx.book.observe({
      rule: 'dos-flood',
      key,
      device: ctx.deviceId(target, targetMac),
      peer: single,
      ts: w.first,
      ...n,
      severity,
      why: `${who}${mqtt ? ` (MQTT broker on port ${port})` : ''} received ${count.toLocaleString('en-US')} ${KIND_WORDS[kind]} ${from} in ${span.toFixed(1)} s (${Math.round(count / Math.max(1, span)).toLocaleString('en-US')}/s; threshold ${threshold})`,
      evidence,
    });
  }
}

/** One flow as a window of its own (a flood judged while it runs). */
function flowWindow(v: ConnView): FloodWindow {
  return { start: v.start, first: v.start, last: v.end, packets: v.origPkts, conns: 1, sources: new Set([v.orig]), ports: new Set([v.rPort]), moreSources: 0, evidence: [], raised: true };
}

/** A flood's connections are reported when they end: unanswered UDP and SYNs a timeout later. */
const LATE_SECS = 600;
