// Runs analyzers on connections: picks candidates by port and by probing the first payload of
// each direction (so protocols are found on any port), feeds TCP through bounded reassembly,
// isolates failures per flow (an analyzer that throws is dropped from that flow and counted as a
// weird), and gives up on flows no analyzer wants so they cost nothing afterwards.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES, type AnalyzerContext, type AnalyzerSpec, type AppEvent, type FlowAnalyzer } from './types.js';
import { StreamReassembler, type StreamSink } from '../flow/stream.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import type { Weirds } from '../decode/weird.js';
import { formatAddr } from '../decode/packet.js';
import { evictOldest } from '../util/evict.js';

const EMPTY_SPECS: AnalyzerSpec[] = [];

/** A chunk of a stream's beginning held while undecided: a range of its direction's prefix. */
interface Held {
  isOrig: boolean;
  off: number;
  len: number;
}
/** Never pushed to: a flow gets a list of its own first. */
const NO_HELD: Held[] = [];

/** UDP datagrams inspected before a flow with no analyzer is left alone. */
const MAX_PROBE_PACKETS = 6;
/** TCP: stream chunks probed, and bytes of each direction's beginning kept while undecided. */
const MAX_PROBE_CHUNKS = 8;
const PROBE_BYTES = 4096;
/** Failures after which an analyzer is removed from the flow. */
const MAX_FAILURES = 1;

class Running {
  constructor(
    readonly spec: AnalyzerSpec,
    readonly a: FlowAnalyzer,
  ) {}
  failures = 0;
  dead = false;
  /** The services this analyzer confirmed (withdrawn if it finds a violation early). */
  confirmed: string[] | null = null;
  /** Handed over (STARTTLS): gets no more data, but still its end(). */
  detached = false;
}

const NO_RUNNING: Running[] = [];

/** Per-connection analyzer state, hung on `conn.app`. */
export class FlowApp implements AnalyzerContext {
  /** Shared empty lists until the flow has analyzers or held chunks (most flows never hold any). */
  running: Running[] = NO_RUNNING;
  /** Analyzers of the protocol that opened a tunnel: they get no more data, but still their end(). */
  retired: Running[] = NO_RUNNING;
  /**
   * A SOCKS or HTTP CONNECT tunnel: what follows is between the client and a remote server. Off
   * while the tunnel's own analyzers end (their session records are the tunnel's, not its payload's).
   */
  tunneled = false;
  probed = 0;
  givenUp = false;
  /**
   * TCP stream beginnings kept while no analyzer is chosen yet (bounded by PROBE_BYTES a side):
   * the chunks in arrival order, as ranges of their direction's prefix buffer.
   */
  pending: Held[] = NO_HELD;
  pendingOrig = 0;
  pendingResp = 0;
  prefixOrig: Uint8Array | null = null;
  prefixResp: Uint8Array | null = null;
  chunksOrig = 0;
  chunksResp = 0;
  orig: StreamReassembler | null = null;
  resp: StreamReassembler | null = null;
  packet!: PacketMeta;
  /** The chunk being delivered right now (for a hand-over that starts with it). */
  curBuf: Uint8Array | null = null;
  curOff = 0;
  curLen = 0;
  curOrig = false;
  /** The analyzer being delivered to asked to let go of the flow (release). */
  releasing = false;
  /** The analyzer being delivered to found a protocol violation (violation). */
  violating = false;
  /** UDP: responder bytes delivered to the analyzers before the current datagram. */
  respDelivered = 0;
  /** The analyzer being delivered to, ended or told of a gap (whose confirm() this is). */
  current: Running | null = null;
  /** A fallback analyzer let go of the flow: fallbacks are not tried on it again. */
  noFallback = false;
  /** The pairedMaybe analyzer each direction's payload was a "maybe" for, off its ports. */
  maybeOrig: AnalyzerSpec | null = null;
  maybeResp: AnalyzerSpec | null = null;
  constructor(
    readonly conn: Conn,
    private readonly host: AnalyzerHost,
  ) {}
  emit(ev: AppEvent): void {
    this.host.emit(this, ev);
  }
  weird(name: string): void {
    this.host.weirds.add(name);
  }
  confirm(service: string): void {
    const c = this.conn;
    const r = this.current;
    if (r !== null) {
      if (!(r.confirmed ??= []).includes(service)) r.confirmed.push(service);
      if (!r.spec.ports.includes(c.rPort) && !r.spec.ports.includes(c.oPort)) c.markOffPort();
    }
    if (c.service === '') c.service = service;
    else if (!c.service.split(',').includes(service)) c.service += ',' + service;
  }
  release(): void {
    this.releasing = true;
  }
  violation(): void {
    this.violating = true;
  }
  inner(buf: Uint8Array, off: number, len: number, isOrig: boolean): FlowAnalyzer | null {
    return this.host.innerAnalyzer(this, buf, off, len, isOrig);
  }
}

export type EventSink = (app: FlowApp, ev: AppEvent) => void;

/**
 * Whether the connection became a tunnel (AnalyzerHost.tunnel): its responder is then a proxy,
 * and what the tunnelled protocol says of "the server" is about the remote end.
 */
export function connTunneled(c: Conn): boolean {
  const app = c.app as FlowApp | null;
  return app !== null && app.tunneled;
}

/**
 * Bytes into a connection after which a protocol violation no longer withdraws a service (Zeek's
 * DPD::ignore_violations_after): a long session's later damage is no proof it was never the protocol.
 */
export const VIOLATION_HORIZON = 10_240;

/** How long an expected connection (e.g. an FTP data channel) is waited for, in seconds. */
const EXPECT_TIMEOUT = 300;
const MAX_EXPECTED = 10_000;

interface Expected {
  origH: string | null;
  service: string;
  until: number;
  run: ExpectedRun | undefined;
  /** Transport (6, 17), or 0 for any. */
  proto: number;
  /**
   * Media (RTP): the announced address and port may be either end of the flow, since each side
   * sends from the port it receives on; and the announcement stands for every flow on it until
   * it times out (a call's media is one flow, but a capture may cut it into several).
   */
  media: boolean;
}

/** An analyzer to run on an expected connection, and what to start it with (its createExpected). */
export interface ExpectedRun {
  analyzer: string;
  init: unknown;
}

/** How an expected connection is matched and analysed (AnalyzerHost.expect). */
export interface ExpectOptions {
  /** Start this analyzer on it; without, the connection is named and not analysed (FTP data). */
  run?: ExpectedRun;
  /** Transport (6, 17); any when absent. */
  proto?: number;
  /** Media: either end may be the announced one, and the announcement stands until it times out (Expected.media). */
  media?: boolean;
}

export class AnalyzerHost {
  private byTcpPort = new Map<number, AnalyzerSpec[]>();
  private byName = new Map<string, AnalyzerSpec>();
  /** Connections announced by another protocol (FTP PORT/PASV …), keyed "resp_h|resp_p". */
  private expected = new Map<string, Expected>();
  /** Ports of expected connections, checked before building a key for every new connection. */
  private expectedPorts = new Uint8Array(65536);
  private byUdpPort = new Map<number, AnalyzerSpec[]>();
  private tcpAll: AnalyzerSpec[] = [];
  private udpAll: AnalyzerSpec[] = [];
  /** Fallback specs (AnalyzerSpec.fallback), tried when no other analyzer wants a flow. */
  private tcpFallback: AnalyzerSpec[] = [];
  private udpFallback: AnalyzerSpec[] = [];
  /** tcpAll and udpAll (and the fallbacks) by first payload byte: the specs whose firstBytes allow it, in order. */
  private readonly tcpByFirst: AnalyzerSpec[][] = [];
  private readonly udpByFirst: AnalyzerSpec[][] = [];
  private readonly tcpFallbackByFirst: AnalyzerSpec[][] = [];
  private readonly udpFallbackByFirst: AnalyzerSpec[][] = [];
  failures = 0;

  constructor(
    specs: AnalyzerSpec[],
    readonly weirds: Weirds,
    private readonly sink: EventSink,
  ) {
    for (const s of specs) {
      this.byName.set(s.name, s);
      if (s.fallback === true) {
        if (s.tcp) this.tcpFallback.push(s);
        if (s.udp) this.udpFallback.push(s);
        continue;
      }
      if (s.tcp) this.tcpAll.push(s);
      if (s.udp) this.udpAll.push(s);
      for (const p of s.ports) {
        if (s.tcp) push(this.byTcpPort, p, s);
        if (s.udp) push(this.byUdpPort, p, s);
      }
    }
    for (let b = 0; b < 256; b++) {
      const fits = (s: AnalyzerSpec): boolean => s.firstBytes === undefined || s.firstBytes.includes(b);
      this.tcpByFirst.push(this.tcpAll.filter(fits));
      this.udpByFirst.push(this.udpAll.filter(fits));
      this.tcpFallbackByFirst.push(this.tcpFallback.filter(fits));
      this.udpFallbackByFirst.push(this.udpFallback.filter(fits));
    }
  }

  get enabled(): boolean {
    return this.tcpAll.length + this.udpAll.length + this.tcpFallback.length + this.udpFallback.length > 0;
  }

  emit(app: FlowApp, ev: AppEvent): void {
    this.sink(app, ev);
  }

  /**
   * Announces a connection another protocol negotiated (Zeek's expected connections): when it
   * appears it is named `service` and not probed, so file contents are not mistaken for a protocol.
   * With `opts.run`, that analyzer is started on it (TFTP counts its transfer's blocks, FTP data
   * is hashed as a file); without, the connection is not analysed.
   */
  expect(origH: string | null, respH: string, respP: number, service: string, now: number, opts: ExpectOptions = {}): void {
    if (this.expected.size >= MAX_EXPECTED) {
      for (const [k, e] of this.expected) if (e.until < now) this.expected.delete(k);
      if (this.expected.size >= MAX_EXPECTED) evictOldest(this.expected);
    }
    this.expected.set(`${respH}|${respP}`, { origH, service, until: now + EXPECT_TIMEOUT, run: opts.run, proto: opts.proto ?? 0, media: opts.media === true });
    if (respP >= 0 && respP < 65536) this.expectedPorts[respP] = 1;
  }

  /** A new connection: is it one that was expected? */
  newConn(c: Conn, now: number): void {
    if (this.expected.size === 0) return;
    let key = '';
    let e: Expected | undefined;
    if (this.expectedPorts[c.rPort] !== 0) {
      key = `${formatAddr(c.r0, c.r1, c.r2, c.r3)}|${c.rPort}`;
      e = this.expected.get(key);
    }
    if (e === undefined && this.expectedPorts[c.oPort] !== 0) {
      // Media announced by the side that turns out to send first.
      key = `${formatAddr(c.o0, c.o1, c.o2, c.o3)}|${c.oPort}`;
      e = this.expected.get(key);
      if (e !== undefined && !e.media) e = undefined;
    }
    if (e === undefined) return;
    if (e.until < now) {
      this.expected.delete(key);
      return;
    }
    if (e.proto !== 0 && e.proto !== c.proto) return;
    if (e.origH !== null && e.origH !== formatAddr(c.o0, c.o1, c.o2, c.o3)) return;
    if (!e.media) this.expected.delete(key);
    const app = new FlowApp(c, this);
    const spec = e.run === undefined ? undefined : this.byName.get(e.run.analyzer);
    if (spec !== undefined && spec.createExpected !== undefined) app.running = [new Running(spec, spec.createExpected(e.run!.init))];
    else app.givenUp = true;
    c.app = app;
    c.service = e.service;
  }

  /**
   * Starts analyzer `name` on a flow from its next bytes on (STARTTLS: the rest of the stream
   * is TLS). The analyzers already running keep running but see no more data.
   */
  handoff(c: Conn, name: string, withCurrentChunk = false): void {
    const app = c.app as FlowApp | null;
    const spec = this.byName.get(name);
    if (app === null || spec === undefined) return;
    for (const r of app.running) r.detached = true;
    const r = new Running(spec, spec.create());
    if (app.running === NO_RUNNING) app.running = [];
    app.running.push(r);
    // The chunk that revealed the switch may already be the new protocol's (an RDP connection
    // whose next bytes are a TLS ClientHello); a STARTTLS reply is not.
    if (withCurrentChunk && app.curBuf !== null) {
      const outer = app.current;
      app.current = r;
      try {
        r.a.data(app, app.curOrig, app.curBuf, app.curOff, app.curLen);
      } catch {
        this.fail(app, r);
      }
      if (app.violating) this.violated(app, r);
      app.current = outer;
    }
  }

  /** One packet's payload. TCP payload arrives with its relative sequence number in m.relSeq. */
  payload(c: Conn, isOrig: boolean, m: PacketMeta): void {
    let app = c.app as FlowApp | null;
    if (app === null) {
      app = new FlowApp(c, this);
      c.app = app;
    }
    if (app.givenUp) return;
    app.packet = m;
    if (c.proto === 6) {
      // TCP is probed and analysed on the reassembled stream, so a protocol's first message is
      // recognised even when it arrives in several segments or out of order.
      let r = isOrig ? app.orig : app.resp;
      if (r === null) {
        r = new StreamReassembler(new DirectionSink(this, app, isOrig));
        // Start at the first data byte we see if it is not the stream's beginning.
        r.next = r.first = m.relSeq > 1 ? m.relSeq : 1;
        if (isOrig) app.orig = r;
        else app.resp = r;
      }
      r.add(m.relSeq, m.buf, m.payloadOff, m.capPayloadLen, m.payloadLen);
      return;
    }
    if (app.running.length === 0) {
      if (!this.start(app, isOrig, m.buf, m.payloadOff, m.capPayloadLen)) {
        if (++app.probed >= MAX_PROBE_PACKETS) app.givenUp = true;
        return;
      }
    }
    this.deliver(app, isOrig, m.buf, m.payloadOff, m.capPayloadLen);
    // Released by its only analyzer on this datagram (release): the datagram may be the real
    // protocol's first, so it is probed at once.
    if (app.running.length === 0) {
      if (this.start(app, isOrig, m.buf, m.payloadOff, m.capPayloadLen)) this.deliver(app, isOrig, m.buf, m.payloadOff, m.capPayloadLen);
      else if (++app.probed >= MAX_PROBE_PACKETS) app.givenUp = true;
    }
  }

  /**
   * The flow became a tunnel (a SOCKS CONNECT or HTTP CONNECT was granted): what follows is
   * another protocol, found by probing the stream's next bytes as if it had just begun (Zeek
   * hands a tunnel's payload back to protocol detection the same way). The tunnel's own
   * analyzers keep their state and still log at the end.
   */
  tunnel(c: Conn): void {
    const app = c.app as FlowApp | null;
    if (app === null || app.givenUp || app.running.length === 0) return;
    app.tunneled = true;
    if (app.retired === NO_RUNNING) app.retired = [];
    for (const r of app.running) {
      r.detached = true;
      app.retired.push(r);
    }
    app.running = NO_RUNNING;
    app.probed = 0;
    app.pending = NO_HELD;
    app.pendingOrig = app.pendingResp = 0;
    app.chunksOrig = app.chunksResp = 0;
    app.prefixOrig = app.prefixResp = null;
  }

  /** In-order TCP bytes: probed while no analyzer is chosen, then delivered. */
  streamData(app: FlowApp, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (app.givenUp) return;
    if (app.running.length > 0) {
      this.deliver(app, isOrig, buf, off, len);
      return;
    }
    const have = isOrig ? app.pendingOrig : app.pendingResp;
    const take = Math.min(len, PROBE_BYTES - have);
    if (take > 0 && have === 0 && app.pending.length === 0) {
      // Nothing held yet on either side: probe this first chunk where it lies. Most flows are
      // decided here (a ClientHello, a request line), and then nothing is copied at all.
      if (isOrig) app.chunksOrig++;
      else app.chunksResp++;
      if (this.start(app, isOrig, buf, off, take)) {
        this.deliver(app, isOrig, buf, off, take);
        if (take < len) this.deliver(app, isOrig, buf, off + take, len - take);
        return;
      }
      this.hold(app, isOrig, buf, off, take);
      this.undecided(app);
      return;
    }
    // Undecided: keep a bounded copy of the stream's beginning and probe what has arrived.
    if (take > 0) this.hold(app, isOrig, buf, off, take);
    const plen = isOrig ? app.pendingOrig : app.pendingResp;
    const prefix = (isOrig ? app.prefixOrig : app.prefixResp) ?? buf.subarray(off, off + len);
    const chunks = isOrig ? ++app.chunksOrig : ++app.chunksResp;
    if (!this.start(app, isOrig, prefix, 0, plen)) {
      // The beginning is nobody's: the protocol may start in this chunk (a capture that began
      // mid-connection, TLS after an unparsed STARTTLS). Then it starts here, alone.
      if (chunks > 1 && this.start(app, isOrig, buf, off, len)) {
        app.pending = NO_HELD;
        this.deliver(app, isOrig, buf, off, len);
        return;
      }
      this.undecided(app);
      return;
    }
    // Chosen: replay the stream's beginning, both directions in arrival order.
    const pend = app.pending;
    const po = app.prefixOrig;
    const pr = app.prefixResp;
    app.pending = NO_HELD;
    app.prefixOrig = app.prefixResp = null;
    for (const p of pend) this.deliver(app, p.isOrig, p.isOrig ? po! : pr!, p.off, p.len);
    if (take < len) this.deliver(app, isOrig, buf, off + take, len - take);
  }

  /** Appends a chunk to its direction's held prefix (grown in place, bounded by PROBE_BYTES). */
  private hold(app: FlowApp, isOrig: boolean, buf: Uint8Array, off: number, take: number): void {
    const have = isOrig ? app.pendingOrig : app.pendingResp;
    let pre = isOrig ? app.prefixOrig : app.prefixResp;
    if (pre === null || pre.length < have + take) {
      const np = new Uint8Array(Math.min(PROBE_BYTES, Math.max(256, (have + take) * 2)));
      if (pre !== null) np.set(pre.subarray(0, have));
      pre = np;
      if (isOrig) app.prefixOrig = np;
      else app.prefixResp = np;
    }
    pre.set(buf.subarray(off, off + take), have);
    if (app.pending === NO_HELD) app.pending = [];
    app.pending.push({ isOrig, off: have, len: take });
    if (isOrig) app.pendingOrig += take;
    else app.pendingResp += take;
  }

  /** A probe round found no analyzer: after enough of them, the flow is given up for good. */
  private undecided(app: FlowApp): void {
    if (++app.probed >= MAX_PROBE_CHUNKS || app.pendingOrig + app.pendingResp >= 2 * PROBE_BYTES) {
      // Nobody wants this flow: drop its buffers and reassembly state for good.
      app.givenUp = true;
      app.pending = NO_HELD;
      app.prefixOrig = app.prefixResp = null;
      app.orig = app.resp = null;
    }
  }

  /** The peer acknowledged past a hole in this direction. */
  acked(c: Conn, isOrig: boolean, upTo: number): void {
    const app = c.app as FlowApp | null;
    if (app === null || app.givenUp) return;
    const r = isOrig ? app.orig : app.resp;
    if (r !== null) r.acked(upTo);
  }

  end(c: Conn): void {
    const app = c.app as FlowApp | null;
    if (app === null) return;
    if (app.givenUp) {
      // A tunnel whose payload no analyzer wanted: the tunnel's own analyzers still log.
      this.endRetired(app);
      app.retired = NO_RUNNING;
      return;
    }
    app.orig?.finish();
    app.resp?.finish();
    this.endRetired(app);
    this.endAll(app, app.running);
    // Finished: nothing more is analysed on this connection; free its state now rather than when
    // the flow table lets the connection go (which, after a close, is seconds of traffic later).
    app.givenUp = true;
    app.running = NO_RUNNING;
    app.retired = NO_RUNNING;
    app.orig = app.resp = null;
    app.pending = NO_HELD;
    app.prefixOrig = app.prefixResp = null;
  }

  /** The tunnel's own analyzers end as what they are: events of the tunnel, not inside it. */
  private endRetired(app: FlowApp): void {
    if (app.retired === NO_RUNNING) return;
    const tunneled = app.tunneled;
    app.tunneled = false;
    this.endAll(app, app.retired);
    app.tunneled = tunneled;
  }

  private endAll(app: FlowApp, rs: Running[]): void {
    for (const r of rs) {
      if (r.dead || r.a.end === undefined) continue;
      app.current = r;
      try {
        r.a.end(app);
      } catch {
        this.fail(app, r);
      }
      app.violating = false;
    }
    app.current = null;
  }

  /** A direction's gap: every running analyzer that handles gaps is told. */
  gap(app: FlowApp, isOrig: boolean, len: number): void {
    for (const r of app.running) {
      if (r.dead || r.detached || r.a.gap === undefined) continue;
      try {
        r.a.gap(app, isOrig, len);
      } catch {
        this.fail(app, r);
      }
    }
  }

  private deliver(app: FlowApp, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const rs = app.running;
    app.curBuf = buf;
    app.curOff = off;
    app.curLen = len;
    app.curOrig = isOrig;
    // Analyzers added during this delivery (a hand-over) start with the next chunk.
    const n = rs.length;
    for (let i = 0; i < n; i++) {
      const r = rs[i];
      if (r.dead || r.detached) continue;
      app.current = r;
      try {
        r.a.data(app, isOrig, buf, off, len);
      } catch {
        this.fail(app, r);
      }
      if (app.violating) this.violated(app, r);
      if (app.releasing) this.released(app, r);
    }
    app.current = null;
    app.curBuf = null;
    if (!isOrig) app.respDelivered += len;
  }

  /**
   * A protocol violation (FlowApp.violation) in the responder's first bytes: the responder never
   * spoke the protocol (a server answering a scanner's probe in its own), so the analyzer is
   * removed and its services withdrawn, as Zeek's DPD does. Later damage, or the originator's, is
   * the analyzer's weird only: a real session of the protocol with a broken record keeps its
   * name, as nDPI names it.
   */
  private violated(app: FlowApp, r: Running): void {
    app.violating = false;
    const c = app.conn;
    if (app.curOrig || c.origBytes + c.respBytes > VIOLATION_HORIZON) return;
    if (c.proto === 6) {
      // The responder's first bytes are known to be its first only when the handshake was seen,
      // delivery began at the stream's first byte and nothing was lost or delivered before.
      const s = app.resp;
      if (c.partial || s === null || s.first !== 1 || s.gapBytes > 0 || s.delivered > app.curLen) return;
    } else if (app.respDelivered > 0 || app.packet.capPayloadLen < app.packet.payloadLen) {
      // A datagram the capture cut (snap length) fails any parser for want of its end.
      return;
    }
    if (r.confirmed !== null && c.service !== '') {
      const drop = r.confirmed;
      c.service = c.service
        .split(',')
        .filter((s) => !drop.includes(s))
        .join(',');
      r.confirmed = null;
    }
    // TCP: no more data, but its end() still logs what it read (a scanner's ClientHello in
    // ssl.log, as Zeek keeps it); UDP: let go, so the flow is probed again.
    if (c.proto === 6) r.detached = true;
    else app.releasing = true;
  }

  /** An analyzer let go of the flow (release): a UDP flow left with none is probed again. */
  private released(app: FlowApp, r: Running): void {
    app.releasing = false;
    r.dead = true;
    if (r.spec.fallback === true) app.noFallback = true;
    if (app.conn.proto !== 17) return;
    for (const x of app.running) if (!x.dead) return;
    app.running = NO_RUNNING;
  }

  private fail(app: FlowApp, r: Running): void {
    this.failures++;
    this.weirds.add(`analyzer.${r.spec.name}.failed`);
    if (++r.failures >= MAX_FAILURES) r.dead = true;
  }

  /** Chooses analyzers for a flow from its ports and first payload; false if none fits yet. */
  private start(app: FlowApp, isOrig: boolean, buf: Uint8Array, off: number, len: number): boolean {
    const c = app.conn;
    const tcp = c.proto === 6;
    const portMap = tcp ? this.byTcpPort : this.byUdpPort;
    const all = tcp ? this.tcpAll : this.udpAll;
    if (all.length === 0) {
      app.givenUp = true;
      return false;
    }
    const port = c.rPort;
    const onPort = portMap.get(port) ?? EMPTY_SPECS;
    const onOPort = portMap.get(c.oPort) ?? EMPTY_SPECS;
    // The best-scoring specs so far, kept in a reused list (this runs for every new flow).
    const best = this.best;
    best.length = 0;
    this.pair = isOrig ? app.maybeResp : app.maybeOrig;
    this.maybe = null;
    let bestScore = PROBE_NO;
    for (const s of onPort) bestScore = this.consider(bestScore, s, true, buf, off, len, isOrig, c.proto, port);
    for (const s of onOPort) if (!onPort.includes(s)) bestScore = this.consider(bestScore, s, true, buf, off, len, isOrig, c.proto, port);
    // A well-known port whose analyzer recognises the payload settles it (as Zeek's port-based
    // analyzers do); only otherwise is every other analyzer's probe tried, for off-port protocols.
    // Off its ports, a probe whose firstBytes exclude this payload's first byte would say no.
    if (bestScore < 3) {
      const pool = len > 0 ? (tcp ? this.tcpByFirst : this.udpByFirst)[buf[off]] : all;
      for (const s of pool) if (!onPort.includes(s) && !onOPort.includes(s)) bestScore = this.consider(bestScore, s, false, buf, off, len, isOrig, c.proto, port);
    }
    if (best.length === 0 && !app.noFallback) {
      // Nobody's: the fallbacks (RTP) look, given the lower of the two ports (they have none of
      // their own, and judge by whether either end is a privileged port).
      const pool = len > 0 ? (tcp ? this.tcpFallbackByFirst : this.udpFallbackByFirst)[buf[off]] : tcp ? this.tcpFallback : this.udpFallback;
      const low = port < c.oPort ? port : c.oPort;
      for (const s of pool) bestScore = this.consider(bestScore, s, false, buf, off, len, isOrig, c.proto, low);
    }
    if (this.maybe !== null) {
      if (isOrig) app.maybeOrig = this.maybe;
      else app.maybeResp = this.maybe;
    }
    if (best.length === 0) return false;
    if (app.running === NO_RUNNING) app.running = [];
    for (const s of best) app.running.push(new Running(s, s.create()));
    best.length = 0;
    return true;
  }

  /**
   * FlowApp.inner: the analyzer whose probe is surest of `len` bytes carried inside a TCP flow's
   * own protocol (no port settles it, the outer protocol has the port), the outer one excepted.
   */
  innerAnalyzer(app: FlowApp, buf: Uint8Array, off: number, len: number, isOrig: boolean): FlowAnalyzer | null {
    if (len <= 0 || app.conn.proto !== 6) return null;
    const best = this.best;
    best.length = 0;
    this.pair = null;
    this.maybe = null;
    let bestScore = PROBE_NO;
    for (const s of this.tcpByFirst[buf[off]]) if (!app.running.some((r) => r.spec === s)) bestScore = this.consider(bestScore, s, false, buf, off, len, isOrig, 6, app.conn.rPort);
    const pick = bestScore >= 3 && best.length > 0 ? best[0] : null;
    best.length = 0;
    return pick === null ? null : pick.create();
  }

  private readonly best: AnalyzerSpec[] = [];
  /** start(): the pairedMaybe analyzer the other direction was a "maybe" for, and this one's. */
  private pair: AnalyzerSpec | null = null;
  private maybe: AnalyzerSpec | null = null;

  /** Probes one analyzer; adds it to `best` (or makes it the only one) by score. Returns the best score. */
  private consider(bestScore: number, s: AnalyzerSpec, onPort: boolean, buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port: number): number {
    let v = PROBE_NO;
    try {
      v = s.probe(buf, off, len, isOrig, proto, port);
    } catch {
      v = PROBE_NO;
    }
    // A well-known port turns "maybe" into a start, and so does a "maybe" from each direction
    // for an analyzer that allows it (pairedMaybe).
    if (v === PROBE_MAYBE && !onPort && s.pairedMaybe === true && this.maybe === null) this.maybe = s;
    const score = v === PROBE_CERTAIN ? 4 : v === PROBE_YES ? 3 : v === PROBE_MAYBE && (onPort || s === this.pair) ? 2 : 0;
    const best = this.best;
    if (score > bestScore) {
      best.length = 0;
      best.push(s);
      return score;
    }
    if (score === bestScore && score > 0) best.push(s);
    return bestScore;
  }
}

function push(m: Map<number, AnalyzerSpec[]>, k: number, v: AnalyzerSpec): void {
  const a = m.get(k);
  if (a === undefined) m.set(k, [v]);
  else a.push(v);
}

/** Where a direction's reassembled stream goes: one small object, not two closures and a holder. */
class DirectionSink implements StreamSink {
  constructor(
    private readonly host: AnalyzerHost,
    private readonly app: FlowApp,
    private readonly isOrig: boolean,
  ) {}
  data(buf: Uint8Array, off: number, len: number): void {
    this.host.streamData(this.app, this.isOrig, buf, off, len);
  }
  gap(len: number): void {
    this.host.gap(this.app, this.isOrig, len);
  }
}
