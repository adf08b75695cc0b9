// The analysis pipeline for capture files: capture → decode → flows → analyzers → logs and
// report. Runs captures one after another through one flow table (network time continues).
import { existsSync, renameSync, rm, statSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureReader, type ReadResult } from '../capture/reader.js';
import { CaptureError } from '../capture/errors.js';
import { linkTypeName, type PacketRecord } from '../capture/record.js';
import { BufferSource, openSource, type ByteSource } from '../capture/source.js';
import { Decoder, ETH_ARP, ETH_IPV4, ETH_IPV6, ETH_VLAN, IP_OTHER, L2, L4 } from '../decode/decoder.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { LocalSources } from './local-sources.js';
import { evictOldest } from '../util/evict.js';
import { Weirds } from '../decode/weird.js';
import { FlowTable, type FlowOptions } from '../flow/table.js';
import { protoName, writeConnRecord } from '../flow/connlog.js';
import { knownRecords } from '../flow/known.js';
import { LocalNets } from '../inventory/local.js';
import type { Conn } from '../flow/conn.js';
import { connUid } from '../flow/uid.js';
import { AnalyzerHost, type ExpectOptions, type FlowApp } from '../analyzers/host.js';
import type { MediaAnnounce, MediaSource, RtpExpected } from '../analyzers/rtp/events.js';
import { isRtpOverUdp } from '../analyzers/rtp/sdp.js';
import { NtlmSession } from '../analyzers/ntlm/session.js';
import { ANALYZERS, FRAME_ANALYZERS, PACKET_ANALYZERS } from '../analyzers/registry.js';
import { LOG_MAPPERS, LogRun } from '../analyzers/logs.js';
import type { AnalyzerSpec, AppEvent, FrameAnalyzerSpec, FrameContext, PacketAnalyzerSpec } from '../analyzers/types.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, TCP_SYN, type PacketMeta } from '../decode/packet.js';
import { LogWriter, formatTime } from '../report/logwriter.js';
import type { IntelSet } from '../intel/intel.js';
import { IntelMatcher } from '../intel/match.js';

/** Largest base64 security token parsed (Negotiate tokens with Kerberos tickets stay below). */
const MAX_AUTH_BLOB_B64 = 64 * 1024;
/** Connections with an NTLM exchange in progress over a text protocol, at most. */
const MAX_NTLM_SESSIONS = 10_000;
/** Bound of FrameContext.once()'s table. */
const MAX_FRAME_STATES = 65_536;
/** Source MACs whose last stacked-tag pair is remembered (vlan.stacked events). */
const MAX_STACKED_SOURCES = 4096;

export interface AnalyzeOptions {
  /** Where logs go; null writes no files (fuzzing, in-memory use). */
  outDir: string | null;
  /**
   * false: no protocol log records are made at all (a monitor writes no logs; making and
   * counting them cost CPU and de-duplication memory). Default true; conn.log lines are still
   * counted with outDir null.
   */
  logs?: boolean;
  flow?: Partial<FlowOptions>;
  analyzers?: AnalyzerSpec[];
  /** Link-layer analyzers (ARP, LLDP, CDP); default all. */
  frameAnalyzers?: FrameAnalyzerSpec[];
  /** ICMPv6 message analyzers (Neighbor Discovery); default all. */
  packetAnalyzers?: PacketAnalyzerSpec[];
  /** Called with (bytes read, total bytes) as input is consumed; total 0 when unknown. */
  progress?: (path: string, done: number, total: number) => void;
  /** Keep the per-connection records and analyzer events in memory too (tests). */
  keepConns?: boolean;
  /** Receives every analyzer event (inventory and assessment subscribe here). */
  onEvent?: (ev: AppEvent, c: Conn | null, m: PacketMeta) => void;
  /** Receives every connection as it ends, before its slot is reused (read it, don't keep it). */
  onConn?: (c: Conn) => void;
  /** Receives a connection each time one side has sent another 1,024 packets (FlowHooks.onProgress). */
  onConnProgress?: (c: Conn, isOrig: boolean) => void;
  /** Receives every connection at its first packet (read it, don't keep it). */
  onConnStart?: (c: Conn, m: PacketMeta) => void;
  /**
   * Receives every decoded TCP packet with SYN set (SYN and SYN+ACK: p0f fingerprints), before
   * the flow table sees it. The record is reused for the next packet: read it, don't keep it.
   */
  onSyn?: (m: PacketMeta) => void;
  /** The site's networks for known_hosts/known_services (default: private and link-local ranges). */
  localNets?: readonly string[];
  /** Threat-intelligence indicators to look for (intel.log, threat-intel findings). */
  intel?: IntelSet;
}

/** An analyzer event as kept for tests: the event and the uid of its connection. */
export interface KeptEvent {
  uid: string | null;
  ev: AppEvent;
}

export interface InputSummary {
  path: string;
  format: string;
  link_types: string[];
  packets: number;
  bytes: number;
  first_ts: number | null;
  last_ts: number | null;
  complete: boolean;
  error: string | null;
  /**
   * Packets the capture kept shorter than they were on the wire (a snap length), and the longest
   * such cut: their payloads are analysed only as far as they were captured.
   */
  cut_packets?: number;
  snaplen?: number;
}

export interface AnalysisResult {
  inputs: InputSummary[];
  weirds: Record<string, number>;
  stats: {
    packets: number;
    decoded_l4: number;
    flows: number;
    flows_evicted: number;
    peak_flows: number;
    analyzer_failures: number;
  };
  /** Set when an input was truncated or corrupt (exit status 1). */
  incomplete: boolean;
  /** Events analyzers emitted (only with keepConns). */
  events: KeptEvent[];
  logs: Record<string, number>;
}

/**
 * Capture bytes per connection to size the flow table from the input, on the generous side:
 * reserved slots that are never used cost address space only (the arrays are zero pages until
 * written), while growing mid-run copies every array and holds old and new at once.
 */
const BYTES_PER_FLOW_ESTIMATE = 4096;
const MAX_RESERVED_FLOWS = 1 << 20;

function estimateFlows(paths: string[]): number {
  let bytes = 0;
  for (const p of paths) {
    if (p === '-') continue;
    try {
      bytes += statSync(p).size;
    } catch {
      // unreadable: reported when it is opened
    }
  }
  return Math.min(MAX_RESERVED_FLOWS, Math.floor(bytes / BYTES_PER_FLOW_ESTIMATE));
}

/**
 * A previous run's logs/ would mix with this run's (a log this run does not write would stay
 * behind), so it goes. It is renamed aside at once and deleted on a libuv thread while the
 * capture is read: truncating or unlinking large files frees their blocks synchronously, which
 * cost a quarter second for the benchmark's logs.
 */
function clearOldLogs(outDir: string): void {
  const logs = join(outDir, 'logs');
  if (!existsSync(logs)) return;
  const old = join(outDir, `.logs-old-${process.pid}`);
  try {
    renameSync(logs, old);
  } catch {
    return; // left in place: each log is still truncated when it is opened
  }
  rm(old, { recursive: true, force: true }, () => undefined);
}

export class Analysis {
  readonly weirds = new Weirds();
  readonly decoder = new Decoder(this.weirds);
  readonly logs = new Map<string, LogWriter>();
  readonly host: AnalyzerHost;
  readonly flows: FlowTable;
  readonly events: KeptEvent[] = [];
  private readonly logRun = new LogRun();
  private readonly frameByType = new Map<number, FrameAnalyzerSpec[]>();
  private readonly frameCtx: FrameContext;
  /** Frame analyzers' per-analysis state (FrameContext.state). */
  private readonly frameStates = new Map<string, unknown>();
  /** source MAC → outer × 4096 + inner VLAN of its last stacked-tag frame reported */
  private readonly stackedSeen = new Map<number, number>();
  private readonly localSources = new LocalSources();
  /** ICMPv6 type → its analyzers (most types have none). */
  private readonly icmpByType: (PacketAnalyzerSpec[] | undefined)[] = new Array<PacketAnalyzerSpec[] | undefined>(256).fill(undefined);
  private readonly icmp6ByType: (PacketAnalyzerSpec[] | undefined)[] = new Array<PacketAnalyzerSpec[] | undefined>(256).fill(undefined);
  private readonly byIpProto: (PacketAnalyzerSpec[] | undefined)[] = new Array<PacketAnalyzerSpec[] | undefined>(256).fill(undefined);
  /** FrameContext.once(): frame states already reported in this analysis. */
  private readonly frameSeen = new Set<string>();
  private readonly ntlmSessions = new Map<Conn, NtlmSession>();
  private connLog: LogWriter;
  private weirdLog: LogWriter;
  private curPath = '';
  private fileIndex = 0;
  packets = 0;
  decodedL4 = 0;
  private firstTs: number | null = null;
  /** This input's packets cut short by the capture, and the longest cut length. */
  private cutPackets = 0;
  private cutLongest = 0;
  private lastTs: number | null = null;
  readonly conns: Conn[] = [];
  private readonly local: LocalNets;
  private readonly intel: IntelMatcher | null;

  constructor(private readonly opts: AnalyzeOptions) {
    // A match is an event like any analyzer's: logged (intel.log) and seen by the hooks.
    this.intel = opts.intel !== undefined && opts.intel.size > 0 ? new IntelMatcher(opts.intel, (ev, c, m) => this.onEvent(c, ev, m)) : null;
    if (opts.outDir !== null) clearOldLogs(opts.outDir);
    this.local = new LocalNets(opts.localNets);
    this.connLog = this.log('conn');
    this.weirdLog = this.log('weird');
    this.host = new AnalyzerHost(opts.analyzers ?? ANALYZERS, this.weirds, (app, ev) => this.onEvent(app.conn, ev, app.packet));
    const host = this.host;
    for (const f of opts.frameAnalyzers ?? FRAME_ANALYZERS) {
      for (const t of f.ethTypes) {
        const l = this.frameByType.get(t) ?? [];
        l.push(f);
        this.frameByType.set(t, l);
      }
    }
    for (const a of opts.packetAnalyzers ?? PACKET_ANALYZERS) {
      for (const t of a.icmpTypes) (this.icmpByType[t & 0xff] ??= []).push(a);
      for (const t of a.icmp6Types) (this.icmp6ByType[t & 0xff] ??= []).push(a);
      for (const p of a.ipProtocols ?? []) (this.byIpProto[p & 0xff] ??= []).push(a);
    }
    const self = this;
    this.frameCtx = {
      get packet() {
        return self.decoder.m;
      },
      emit: (ev) => this.onEvent(null, ev, this.decoder.m),
      weird: (name) => this.weirds.add(name),
      once: (key) => {
        const seen = this.frameSeen;
        if (seen.has(key)) return false;
        if (seen.size >= MAX_FRAME_STATES) seen.clear();
        seen.add(key);
        return true;
      },
      state: <T>(key: string, make: () => T): T => {
        let st = this.frameStates.get(key) as T | undefined;
        if (st === undefined) {
          st = make();
          this.frameStates.set(key, st);
        }
        return st;
      },
    };
    this.flows = new FlowTable(
      this.weirds,
      {
        onNew: connStartHook(host.enabled ? (c, m) => host.newConn(c, m.ts) : null, opts.onConnStart ?? null),
        onPayload: host.enabled ? (c, isOrig, m) => host.payload(c, isOrig, m) : () => {},
        onGap: (c, isOrig, upTo) => host.acked(c, isOrig, upTo),
        // Analyzers finish when the connection closes, so their state does not wait out the
        // close delay (on busy links, most of the live per-flow memory).
        onClose: host.enabled ? (c) => host.end(c) : undefined,
        onEnd: (c) => this.onConnEnd(c),
        onProgress: opts.onConnProgress,
      },
      opts.flow,
    );
    this.weirds.onSample = (w, packet) => {
      const c = this.weirds.conn as Conn | null;
      let s = `{"ts":${formatTime(this.weirds.tsSec, this.weirds.tsNsec)}`;
      if (c !== null) {
        s += `,"uid":"${connUid(c)}","id.orig_h":"${formatAddr(c.o0, c.o1, c.o2, c.o3)}","id.orig_p":${c.oPort},"id.resp_h":"${formatAddr(c.r0, c.r1, c.r2, c.r3)}","id.resp_p":${c.rPort}`;
      }
      s += `,"name":${JSON.stringify(w.name)},"notice":false,"peer":"wardline","source":${JSON.stringify(c !== null ? protoName(c.proto).toUpperCase() : 'PACKET')},"file":${JSON.stringify(this.curPath)},"packet":${packet}}`;
      this.weirdLog.writeLine(s);
    };
  }

  log(name: string): LogWriter {
    let w = this.logs.get(name);
    if (w === undefined) {
      w = new LogWriter(this.opts.outDir === null ? null : join(this.opts.outDir, 'logs', `${name}.log`));
      this.logs.set(name, w);
    }
    return w;
  }

  private onEvent(c: Conn | null, ev: AppEvent, m: PacketMeta): void {
    if (c !== null && ev.type.endsWith('.auth_blob')) {
      // A raw security token is credential material (an NTLM response is crackable): it is
      // parsed here and never kept, logged or passed on.
      this.authBlob(c, ev);
      return;
    }
    if (this.opts.keepConns) this.events.push({ uid: c === null ? null : connUid(c), ev });
    if (c !== null) this.crossProtocol(c, ev, m);
    this.opts.onEvent?.(ev, c, m);
    if (this.opts.logs !== false) {
      const mapper = LOG_MAPPERS[ev.type];
      if (mapper !== undefined) {
        const out = mapper(ev, c, m, this.logRun);
        if (out !== null) this.log(out.log).write(out.record);
      }
    }
    if (this.intel !== null) this.intel.event(ev, c, m);
  }

  /** NTLM/Negotiate tokens that HTTP, SMTP, IMAP or POP3 carried, fed to one NTLM session per connection. */
  private authBlob(c: Conn, ev: AppEvent): void {
    const scheme = String(ev.scheme ?? '').toLowerCase();
    if (scheme !== 'ntlm' && scheme !== 'negotiate') return;
    const app = c.app as FlowApp | null;
    const b64 = String(ev.blob ?? '');
    if (app === null || b64.length === 0 || b64.length > MAX_AUTH_BLOB_B64) return;
    const bytes = Buffer.from(b64, 'base64');
    let s = this.ntlmSessions.get(c);
    if (s === undefined) {
      if (this.ntlmSessions.size >= MAX_NTLM_SESSIONS) return;
      s = new NtlmSession();
      this.ntlmSessions.set(c, s);
    }
    const isOrig = ev.isOrig === true;
    if (s.token(app, isOrig, bytes, 0, bytes.length) === null) s.message(app, isOrig, bytes, 0, bytes.length);
  }

  /** Policy between protocols: data channels that FTP announces, TFTP transfer flows, TLS after STARTTLS, SOCKS and HTTP CONNECT tunnels. */
  private crossProtocol(c: Conn, ev: AppEvent, m: PacketMeta): void {
    const t = ev.type;
    if (t === 'ftp.expect') {
      this.host.expect(typeof ev.orig_h === 'string' && ev.passive !== true ? ev.orig_h : null, String(ev.host), Number(ev.port), 'ftp-data', m.ts, { run: { analyzer: 'ftp-data', init: ev.link ?? null } });
    } else if (t === 'tftp.expect') {
      this.host.expect(String(ev.orig_h), String(ev.host), Number(ev.port), 'tftp-data', m.ts, { run: { analyzer: 'tftp', init: ev.transfer } });
    } else if (t.endsWith('.starttls')) {
      this.host.handoff(c, 'ssl');
    } else if (t === 'rdp.tls_begins') {
      this.host.handoff(c, 'ssl', true);
    } else if (t === 'socks.tunnel' || t === 'http.tunnel') {
      this.host.tunnel(c);
    } else if (t === 'sip.media' || t === 'rtsp.media' || t === 'sccp.media') {
      this.media(ev as MediaAnnounce, t.slice(0, t.indexOf('.')) as MediaSource, m);
    }
  }

  /**
   * Media a SIP SDP, an RTSP SETUP or an SCCP StartMediaTransmission announced: its RTP and RTCP flows (or T.38's UDPTL) are
   * expected, so they are named and counted from their first packet, whichever end sends first.
   */
  private media(ev: MediaAnnounce, source: MediaSource, m: PacketMeta): void {
    const udptl = /^udptl$/i.test(ev.proto);
    if (!udptl && !isRtpOverUdp(ev.proto)) return;
    const media = (kind: RtpExpected['kind']): ExpectOptions => ({ run: { analyzer: 'rtp', init: { kind, source, srtp: ev.srtp, media: ev.media, codecs: ev.codecs } satisfies RtpExpected }, proto: IPPROTO_UDP, media: true });
    if (udptl) {
      this.host.expect(null, ev.host, ev.port, 'udptl', m.ts, media('udptl'));
      return;
    }
    this.host.expect(null, ev.host, ev.port, ev.srtp ? 'srtp' : 'rtp', m.ts, media('rtp'));
    if (ev.rtcp_port > 0 && ev.rtcp_port !== ev.port) this.host.expect(null, ev.host, ev.rtcp_port, ev.srtp ? 'srtcp' : 'rtcp', m.ts, media('rtcp'));
  }

  private frame(m: PacketMeta): void {
    const specs = this.frameByType.get(m.ethType);
    if (specs === undefined) return;
    for (const f of specs) {
      try {
        f.frame(this.frameCtx, m.buf, m.l3Off, m.frameEnd - m.l3Off);
      } catch {
        this.weirds.add(`analyzer.${f.name}.failed`);
      }
    }
  }

  /** An ICMP or ICMPv6 packet (already counted in its flow): the analyzers of its type, if any. */
  private icmp(m: PacketMeta): void {
    const specs = (m.proto === IPPROTO_ICMPV6 ? this.icmp6ByType : this.icmpByType)[m.icmpType & 0xff];
    if (specs !== undefined) this.packetAnalyzers(specs, m, m.l4Off, m.payloadOff + m.capPayloadLen - m.l4Off);
  }

  /**
   * A frame with 802.1Q tags stacked under an 802.1Q (not 802.1ad) outer tag: a provider's
   * Q-in-Q link, or a host hopping VLANs by double tagging (the first switch strips the outer
   * tag, the next forwards on the inner). One vlan.stacked event per source MAC and tag pair
   * (the monitor compares it with the same MAC's untagged frames); a Q-in-Q link repeats the
   * same pairs, so the small table keeps the events few without strings per packet.
   */
  private stacked(m: PacketMeta): void {
    const mac = m.srcMac;
    if (mac === 0) return;
    const pair = m.vlan * 4096 + m.vlanInner;
    if (this.stackedSeen.get(mac) === pair) return;
    if (this.stackedSeen.size >= MAX_STACKED_SOURCES && !this.stackedSeen.has(mac)) evictOldest(this.stackedSeen);
    this.stackedSeen.set(mac, pair);
    this.onEvent(null, { type: 'vlan.stacked', mac_src: formatMac(mac), vlan: m.vlan, inner_vlan: m.vlanInner, packet: m.packetNo }, m);
  }

  /**
   * A frame from a group Ethernet source carrying IP or ARP (the monitor's mac-flood counts
   * them): CDP, LLDP and Spanning Tree floods from made-up sources have flood rules of their own.
   */
  private groupSource(m: PacketMeta): void {
    const t = m.ethType;
    if (t !== ETH_IPV4 && t !== ETH_IPV6 && t !== ETH_ARP) return;
    this.onEvent(null, { type: 'eth.group_source', mac_src: formatMac(m.srcMac), vlan: m.vlan, packet: m.packetNo }, m);
  }

  /**
   * A frame from a locally administered unicast source carrying IP or ARP: counted per link, and
   * a source's first one is an eth.local_source event with the link's count so far (the monitor's
   * mac-flood tells a flood's one-frame sources from VMs and phones by it). No string per packet.
   */
  private localSource(m: PacketMeta): void {
    const t = m.ethType;
    if (t !== ETH_IPV4 && t !== ETH_IPV6 && t !== ETH_ARP) return;
    const n = this.localSources.frame(m.srcMac, m.vlan);
    if (n > 0) this.onEvent(null, { type: 'eth.local_source', mac_src: formatMac(m.srcMac), vlan: m.vlan, frames: n, packet: m.packetNo }, m);
  }

  /** A whole datagram of an IP protocol no connection is tracked for: the analyzers of that protocol, if any. */
  private ipOther(m: PacketMeta): void {
    const specs = this.byIpProto[m.proto & 0xff];
    if (specs !== undefined) this.packetAnalyzers(specs, m, m.payloadOff, m.capPayloadLen);
  }

  /** Runs packet analyzers on `len` bytes from `off`: one failing is a weird, not the capture's end. */
  private packetAnalyzers(specs: readonly PacketAnalyzerSpec[], m: PacketMeta, off: number, len: number): void {
    for (const a of specs) {
      try {
        a.packet(this.frameCtx, m.buf, off, len);
      } catch {
        this.weirds.add(`analyzer.${a.name}.failed`);
      }
    }
  }

  private onConnEnd(c: Conn): void {
    this.host.end(c);
    if (this.intel !== null) this.intel.conn(c, this.decoder.m);
    this.opts.onConn?.(c);
    const ntlm = this.ntlmSessions.get(c);
    if (ntlm !== undefined) {
      this.ntlmSessions.delete(c);
      const app = c.app as FlowApp | null;
      if (app !== null) ntlm.end(app);
    }
    writeConnRecord(this.connLog, c);
    // Zeek's known_hosts/known_services, with the protocol analyzers (a policy script there):
    // straight to their logs, not through the event hooks (nothing else reads them).
    if (this.host.enabled && this.opts.logs !== false) {
      for (const r of knownRecords(c, this.local)) {
        const out = LOG_MAPPERS[r.type](r, c, this.decoder.m, this.logRun);
        if (out !== null) this.log(out.log).write(out.record);
      }
    }
    c.app = null;
    if (this.opts.keepConns) {
      c.detach();
      this.conns.push(c);
    }
  }

  /** Analyses one in-memory capture (tests and fuzzing). */
  async runBuffer(name: string, data: Uint8Array): Promise<AnalysisResult> {
    return this.run([name], new BufferSource(data));
  }

  /** Input paths by file index (PacketMeta.fileIndex, Conn.fileIndex), for evidence. */
  paths: string[] = [];

  async run(paths: string[], source?: ByteSource): Promise<AnalysisResult> {
    this.paths = paths;
    if (source === undefined) this.flows.reserve(estimateFlows(paths));
    const inputs: InputSummary[] = [];
    let incomplete = false;
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i];
      this.curPath = path;
      this.fileIndex = i;
      this.firstTs = null;
      this.lastTs = null;
      this.cutPackets = 0;
      this.cutLongest = 0;
      let res: ReadResult;
      try {
        res = await this.readOne(path, source);
      } catch (e) {
        if (e instanceof CaptureError) throw e;
        const err = e as NodeJS.ErrnoException;
        throw new CaptureError('unreadable', `${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
      }
      if (res.error !== null) incomplete = true;
      inputs.push({
        path,
        format: res.format,
        link_types: res.linkTypes.map(linkTypeName),
        packets: res.packets,
        bytes: res.bytes,
        first_ts: this.firstTs,
        last_ts: this.lastTs,
        complete: res.error === null,
        error: res.error?.message ?? null,
        ...(this.cutPackets > 0 ? { cut_packets: this.cutPackets, snaplen: this.cutLongest } : {}),
      });
    }
    this.flows.flushAll();
    this.flows.releaseStorage();
    for (const w of this.logs.values()) await w.close(w === this.connLog || w === this.weirdLog);
    const logs: Record<string, number> = {};
    for (const [k, w] of [...this.logs.entries()].sort()) logs[k] = w.lines;
    return {
      inputs,
      weirds: this.weirds.toObject(),
      stats: {
        packets: this.packets,
        decoded_l4: this.decodedL4,
        flows: this.flows.created,
        flows_evicted: this.flows.evicted,
        peak_flows: this.flows.peak,
        analyzer_failures: this.host.failures,
      },
      incomplete,
      events: this.events,
      logs,
    };
  }

  private async readOne(path: string, given?: ByteSource): Promise<ReadResult> {
    const src = given ?? openSource(path);
    let total = 0;
    if (path !== '-' && given === undefined) {
      try {
        total = statSync(path).size;
      } catch {
        total = 0;
      }
    }
    const reader = new CaptureReader(src, path === '-' ? 'standard input' : path);
    const dec = this.decoder;
    const flows = this.flows;
    const w = this.weirds;
    const fileIndex = this.fileIndex;
    const progress = this.opts.progress;
    const onSyn = this.opts.onSyn;
    let sinceProgress = 0;
    const sink = (r: PacketRecord): void => {
      w.packet = r.packetNo;
      w.tsSec = r.tsSec;
      w.tsNsec = r.tsNsec;
      this.packets++;
      if (r.caplen < r.wirelen) {
        this.cutPackets++;
        if (r.caplen > this.cutLongest) this.cutLongest = r.caplen;
      }
      const st = dec.decode(r, fileIndex);
      if (dec.m.vlanInner >= 0 && dec.m.vlanTpid === ETH_VLAN) this.stacked(dec.m);
      if (dec.m.srcGroup) this.groupSource(dec.m);
      else if (dec.m.srcLocal) this.localSource(dec.m);
      if (st === L4) {
        this.decodedL4++;
        const m = dec.m;
        if (onSyn !== undefined && m.proto === IPPROTO_TCP && (m.tcpFlags & TCP_SYN) !== 0) onSyn(m);
        const conn = flows.packet(m);
        if (m.proto === IPPROTO_ICMPV6 || m.proto === IPPROTO_ICMP) this.icmp(m);
        if (dec.hasInner) {
          // The carrier is named after its tunnel (Zeek's vxlan, geneve, gtpv1, teredo services).
          if (conn.service === '') conn.service = dec.innerService;
          const inner = dec.decodeInner();
          if (inner === L4) {
            if (onSyn !== undefined && m.proto === IPPROTO_TCP && (m.tcpFlags & TCP_SYN) !== 0) onSyn(m);
            flows.packet(m);
            if (m.proto === IPPROTO_ICMPV6 || m.proto === IPPROTO_ICMP) this.icmp(m);
          } else if (inner === L2) {
            this.frame(m);
          }
        }
      } else if (st === L2) {
        this.frame(dec.m);
      } else if (st === IP_OTHER && dec.m.proto >= 0) {
        this.ipOther(dec.m);
      }
      if (progress !== undefined && ++sinceProgress >= 65536) {
        sinceProgress = 0;
        progress(path, reader.bytesRead, total);
      }
    };
    try {
      const res = await reader.read(sink);
      if (res.packets > 0) {
        this.firstTs = reader.firstTs;
        this.lastTs = reader.lastTs;
      }
      progress?.(path, total, total);
      return res;
    } finally {
      src.close();
    }
  }
}

/** The flow table's new-connection hook: the analyzers' and the caller's, when there are any. */
function connStartHook(a: ((c: Conn, m: PacketMeta) => void) | null, b: ((c: Conn, m: PacketMeta) => void) | null): (c: Conn, m: PacketMeta) => void {
  if (a === null) return b ?? (() => {});
  if (b === null) return a;
  return (c, m) => {
    a(c, m);
    b(c, m);
  };
}
