// The flow table: connections keyed by their 5-tuple in an open-addressing hash (numbers,
// collision-checked), an LRU list for expiry and eviction, and Zeek's connection semantics
// for who is the originator, TCP state, history, sizes and timeouts.
import { Conn, H_ACK, H_DATA, H_FIN, H_FIN_RST, H_MULTI, H_RST, H_SYN, H_UDP_DATA, PROTO_TCP, PROTO_UDP } from './conn.js';
import { icmpCounterpart } from './icmp.js';
import { likelyServerPort } from './ports.js';
import { Ep, TcpEndpoint, TOO_LARGE_SEQ_DELTA, seqDelta } from './tcp.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TCP_URG, type PacketMeta } from '../decode/packet.js';
import type { Weirds } from '../decode/weird.js';

export interface FlowOptions {
  /** Most connections kept at once; past it the least recently active are evicted. */
  maxFlows: number;
  tcpInactivity: number;
  udpInactivity: number;
  icmpInactivity: number;
  /** Zeek's tcp_close_delay, tcp_attempt_delay: 5 s each. */
  closeDelay: number;
  attemptDelay: number;
  /** Most out-of-order ranges remembered per direction for gap accounting. */
  maxHoles: number;
}

export const DEFAULT_FLOW_OPTIONS: FlowOptions = {
  maxFlows: 1_000_000,
  tcpInactivity: 300,
  udpInactivity: 60,
  icmpInactivity: 60,
  closeDelay: 5,
  attemptDelay: 5,
  maxHoles: 64,
};

export interface FlowHooks {
  /** A connection was created (analyzers attach here). */
  onNew(c: Conn, m: PacketMeta): void;
  /** Payload of one packet, after state tracking; TCP data comes with its relative sequence number. */
  onPayload(c: Conn, isOrig: boolean, m: PacketMeta, relSeq: number): void;
  /** The peer acknowledged this direction's data up to `upTo` (relative): holes below are lost. */
  onGap(c: Conn, isOrig: boolean, upTo: number): void;
  /** The connection is finished: log it. */
  onEnd(c: Conn): void;
}

const EMPTY = 0;
const SWEEP_INTERVAL = 1;
const MIN_CAPACITY = 1 << 16;

export class FlowTable {
  private slots: Int32Array;
  private mask: number;
  private conns: (Conn | null)[] = [];
  private free: number[] = [];
  private lruPrev: Int32Array;
  private lruNext: Int32Array;
  private lruHead = -1;
  private lruTail = -1;
  count = 0;
  private serial = 0;
  private lastSweep = 0;
  now = 0;
  evicted = 0;
  created = 0;
  peak = 0;
  private readonly o: FlowOptions;

  constructor(
    private readonly w: Weirds,
    private readonly hooks: FlowHooks,
    opts: Partial<FlowOptions> = {},
  ) {
    this.o = { ...DEFAULT_FLOW_OPTIONS, ...opts };
    let cap = MIN_CAPACITY;
    while (cap < this.o.maxFlows * 2 && cap < 1 << 22) cap <<= 1;
    // Start small and grow: most captures hold few flows.
    cap = MIN_CAPACITY;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.lruPrev = new Int32Array(cap >> 1);
    this.lruNext = new Int32Array(cap >> 1);
  }

  // ---- hashing and lookup -------------------------------------------------------------

  private static hashEnd(a0: number, a1: number, a2: number, a3: number, port: number): number {
    let h = Math.imul(a3 ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ a2 ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ a1 ^ (h >>> 16), 0x27d4eb2f);
    h = Math.imul(h ^ a0 ^ (h >>> 15), 0x165667b1);
    return Math.imul(h ^ port ^ (h >>> 13), 0x9e3779b1);
  }

  private match(c: Conn, proto: number, s: Uint32Array, sp: number, d: Uint32Array, dp: number): number {
    if (c.proto !== proto) return 0;
    if (c.oPort === sp && c.rPort === dp && c.o3 === s[3] && c.r3 === d[3] && c.o2 === s[2] && c.r2 === d[2] && c.o1 === s[1] && c.r1 === d[1] && c.o0 === s[0] && c.r0 === d[0]) return 1;
    if (c.oPort === dp && c.rPort === sp && c.o3 === d[3] && c.r3 === s[3] && c.o2 === d[2] && c.r2 === s[2] && c.o1 === d[1] && c.r1 === s[1] && c.o0 === d[0] && c.r0 === s[0]) return 2;
    return 0;
  }

  // ---- the per-packet entry point ----------------------------------------------------

  packet(m: PacketMeta): void {
    const ts = m.ts;
    if (ts > this.now) this.now = ts;
    if (this.now - this.lastSweep >= SWEEP_INTERVAL) {
      this.sweep(this.now);
      this.lastSweep = this.now;
    }
    const proto = m.proto;
    let sp = m.srcPort;
    let dp = m.dstPort;
    let icmpOneWay = false;
    if (proto === 1 || proto === 58) {
      const cp = icmpCounterpart(proto === 58, m.icmpType);
      sp = m.icmpType;
      if (cp < 0) {
        dp = m.icmpCode;
        icmpOneWay = true;
      } else dp = cp;
    }
    const h = ((FlowTable.hashEnd(m.src[0], m.src[1], m.src[2], m.src[3], sp) ^ FlowTable.hashEnd(m.dst[0], m.dst[1], m.dst[2], m.dst[3], dp)) + proto * 0x01000193) | 0;
    let i = h & this.mask;
    let c: Conn | null = null;
    let dir = 0;
    for (;;) {
      const v = this.slots[i];
      if (v === EMPTY) break;
      const cand = this.conns[v - 1]!;
      dir = this.match(cand, proto, m.src, sp, m.dst, dp);
      if (dir !== 0) {
        c = cand;
        break;
      }
      i = (i + 1) & this.mask;
    }
    if (c !== null) {
      if (this.expired(c, ts) || (proto === PROTO_TCP && this.isReuse(c, m, dir === 1))) {
        this.remove(c);
        c = null;
      }
    }
    if (c === null) {
      c = this.create(m, proto, sp, dp, icmpOneWay);
      dir = this.match(c, proto, m.src, sp, m.dst, dp);
    }
    const isOrig = dir === 1;
    this.touch(c, ts);
    this.w.conn = c;
    if (isOrig) {
      c.origPkts++;
      c.origIpBytes += m.ipTotalLen;
      c.origFrameBytes += m.wirelen;
      if (c.origMac === 0) c.origMac = m.srcMac;
    } else {
      c.respPkts++;
      c.respIpBytes += m.ipTotalLen;
      c.respFrameBytes += m.wirelen;
      if (c.respMac === 0) c.respMac = m.srcMac;
    }
    if (proto === PROTO_TCP) {
      this.tcp(c, isOrig, m);
    } else {
      if (ts >= c.lastTs) {
        c.lastTs = ts;
        c.lastSec = m.tsSec;
        c.lastNsec = m.tsNsec;
      }
      if (isOrig) {
        c.origBytes += m.payloadLen;
        if (proto === PROTO_UDP) c.checkHistory(H_UDP_DATA, 'D');
      } else {
        c.respBytes += m.payloadLen;
        if (proto === PROTO_UDP) c.checkHistory(H_UDP_DATA << 16, 'd');
      }
      if (m.capPayloadLen > 0) this.hooks.onPayload(c, isOrig, m, 0);
    }
    this.w.conn = null;
  }

  private create(m: PacketMeta, proto: number, sp: number, dp: number, icmpOneWay: boolean): Conn {
    if (this.count >= this.o.maxFlows) this.evictOldest();
    if (this.count + 1 > (this.mask + 1) >> 1) this.grow();
    const c = new Conn();
    let flip = false;
    if (proto === PROTO_TCP) {
      const f = m.tcpFlags;
      if (!(f & TCP_SYN) || f & TCP_ACK) {
        // No initial SYN: guess the responder from the ports, as Zeek does.
        if (likelyServerPort(proto, sp)) {
          if (likelyServerPort(proto, dp)) flip = !(f & TCP_SYN) && sp < dp;
          else flip = true;
        }
      }
      c.tcpO = new TcpEndpoint(true);
      c.tcpR = new TcpEndpoint(false);
    } else if (proto === PROTO_UDP) {
      // Never flip towards a broadcast or multicast destination: that side is no server.
      flip = likelyServerPort(proto, sp) && !likelyServerPort(proto, dp) && !isGroupAddr(m.dst);
    } else if (!icmpOneWay && (proto === 1 || proto === 58)) {
      // A reply seen first: the requester is the originator.
      const t = m.icmpType;
      flip = proto === 1 ? t === 0 || t === 14 || t === 16 || t === 18 || t === 9 : t === 129 || t === 131 || t === 134 || t === 136 || t === 140 || t === 145;
    }
    const s = m.src;
    const d = m.dst;
    c.proto = proto;
    if (!flip) {
      c.o0 = s[0]; c.o1 = s[1]; c.o2 = s[2]; c.o3 = s[3]; c.oPort = sp;
      c.r0 = d[0]; c.r1 = d[1]; c.r2 = d[2]; c.r3 = d[3]; c.rPort = dp;
    } else {
      c.o0 = d[0]; c.o1 = d[1]; c.o2 = d[2]; c.o3 = d[3]; c.oPort = dp;
      c.r0 = s[0]; c.r1 = s[1]; c.r2 = s[2]; c.r3 = s[3]; c.rPort = sp;
      c.flipped = true;
      c.addHistory('^');
    }
    c.startSec = m.tsSec;
    c.startNsec = m.tsNsec;
    c.lastSec = m.tsSec;
    c.lastNsec = m.tsNsec;
    c.lastTs = m.ts;
    c.seenTs = m.ts;
    c.vlan = m.vlan;
    c.vlanInner = m.vlanInner;
    c.fileIndex = m.fileIndex;
    c.firstPacket = m.packetNo;
    c.serial = ++this.serial;
    this.insert(c);
    this.created++;
    if (this.count > this.peak) this.peak = this.count;
    this.hooks.onNew(c, m);
    return c;
  }

  // ---- TCP ----------------------------------------------------------------------------

  private tcp(c: Conn, isOrig: boolean, m: PacketMeta): void {
    const ep = isOrig ? c.tcpO! : c.tcpR!;
    const peer = isOrig ? c.tcpR! : c.tcpO!;
    const f = m.tcpFlags;
    const syn = (f & TCP_SYN) !== 0;
    const fin = (f & TCP_FIN) !== 0;
    const rst = (f & TCP_RST) !== 0;
    const ackf = (f & TCP_ACK) !== 0;
    const len = m.payloadLen;
    const seq = m.seq;
    const ack = m.ack;
    // Zeek's SetPartialStatus: judged on the first packet of each side.
    if (isOrig) {
      if (!c.seenOrigFirst) {
        c.partial = !syn || ackf;
        c.seenOrigFirst = true;
      }
    } else if (!c.seenRespFirst) {
      if (!c.partial) c.partial = !syn;
      c.seenRespFirst = true;
    }
    let segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
    if (rst) segLen -= len;
    const onePast = (seq + segLen) >>> 0;

    // Initialise this side's sequence space (Zeek's init_endpoint).
    switch (ep.state) {
      case Ep.INACTIVE:
        if (syn) ep.initSeq(seq, onePast);
        else ep.initSeq(seq - 1, seq);
        break;
      case Ep.SYN_SENT:
      case Ep.SYN_ACK_SENT:
        if (syn && seq >>> 0 !== ep.startSeq) {
          this.w.add('tcp.SYN_seq_jump');
          ep.initSeq(seq, onePast);
        }
        break;
      case Ep.ESTABLISHED:
      case Ep.PARTIAL:
        if (syn) {
          if (ep.size(peer) > 0) this.w.add('tcp.SYN_inside_connection');
          if (seq >>> 0 !== ep.startSeq) this.w.add('tcp.SYN_seq_jump');
          ep.initSeq(seq, onePast);
        }
        break;
      case Ep.RESET:
        if (syn && ep.prevState === Ep.INACTIVE) ep.initSeq(seq, onePast);
        break;
    }

    const relSeq = ep.relOf(seq);
    const underflow = relSeq < 0;
    if (underflow && !rst) this.w.add('tcp.seq_underflow_or_misorder');

    this.history(c, ep, f, relSeq, len);

    if (m.window === 0 && !rst && peer.state !== Ep.CLOSED && ep.state !== Ep.RESET) {
      if (++ep.win0Cnt === ep.win0Thresh) {
        c.addHistory(ep.isOrig ? 'W' : 'w');
        ep.win0Thresh *= 10;
      }
    }

    if (!(c.tcpO!.didClose && c.tcpR!.didClose) && m.ts >= c.lastTs) {
      c.lastTs = m.ts;
      c.lastSec = m.tsSec;
      c.lastNsec = m.tsNsec;
    }

    if (syn) {
      if (rst) this.w.add('tcp.christmas');
      if (f & TCP_URG) this.w.add('tcp.baroque_SYN');
      if (len > 0) this.w.add('tcp.SYN_with_data');
    }
    if (fin) {
      ep.finCnt++;
      ep.finRel = relSeq + segLen;
    }
    if (rst) ep.rstCnt++;

    let relAck = 0;
    if (ackf) {
      if (peer.state === Ep.INACTIVE) {
        relAck = 1;
        // Number the peer as though its SYN had been seen.
        peer.initSeq(ack - 1, ack - 1);
      } else {
        relAck = peer.relOfAck(ack);
        if (relAck < 0) {
          relAck = 0;
          this.w.add('tcp.ack_underflow_or_misorder');
        } else if (!rst) {
          const d = seqDelta(ack, peer.ackSeq);
          if (!(ack === 0 && d > TOO_LARGE_SEQ_DELTA) && d > 0) peer.updateAckSeq(ack);
        }
      }
    }

    // Zeek's update_last_seq.
    const deltaLast = seqDelta(onePast, ep.lastSeq);
    if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
      // untrusted jump
    } else if (fin && ep.lastRel === 1) {
      ep.updateLastSeq(onePast);
    } else if (ep.state === Ep.RESET) {
      // nothing after a reset is trusted
    } else if (deltaLast > 0) {
      ep.updateLastSeq(onePast);
    } else if (len > 0) {
      if (++ep.rxmtCnt === ep.rxmtThresh) {
        c.addHistory(ep.isOrig ? 'T' : 't');
        ep.rxmtThresh *= 10;
      }
    }

    let doClose = false;
    switch (ep.state) {
      case Ep.INACTIVE:
        doClose = this.inactiveState(c, ep, peer, isOrig, f, len, seq, ack, m.ts);
        break;
      case Ep.SYN_SENT:
      case Ep.SYN_ACK_SENT:
        if (fin) {
          ep.setState(Ep.CLOSED);
          doClose = true;
        }
        if (rst) {
          ep.setState(Ep.RESET);
          doClose = true;
        } else if (len > 0) this.w.add('tcp.data_before_established');
        break;
      case Ep.ESTABLISHED:
      case Ep.PARTIAL:
        if (syn && ep.state === Ep.PARTIAL && peer.state === Ep.INACTIVE && !ackf) ep.setState(Ep.SYN_SENT);
        if (fin && !rst) {
          ep.setState(Ep.CLOSED);
          if (peer.state === Ep.RESET && peer.prevState === Ep.CLOSED) peer.setState(Ep.CLOSED);
          doClose = true;
        }
        if (rst) {
          ep.setState(Ep.RESET);
          doClose = true;
        }
        break;
      case Ep.CLOSED:
        if (rst && peer.state !== Ep.CLOSED) {
          ep.setState(Ep.RESET);
          if (!ep.didClose) doClose = true;
        }
        break;
      case Ep.RESET:
        if (len > 0 && !rst) this.w.add('tcp.data_after_reset');
        break;
    }
    this.noteHandshake(c);

    if (ackf) this.ackReceived(c, peer, ep, relAck);

    if (len > 0 && !rst && !underflow) {
      const relData = syn ? relSeq + 1 : relSeq;
      this.dataSent(c, ep, relData, len, m, isOrig);
    }

    if (doClose) this.connectionClosed(c, ep, peer);
  }

  private history(c: Conn, ep: TcpEndpoint, f: number, relSeq: number, len: number): void {
    const orig = ep.isOrig;
    const sh = orig ? 0 : 16;
    const syn = (f & TCP_SYN) !== 0;
    const fin = (f & TCP_FIN) !== 0;
    const rst = (f & TCP_RST) !== 0;
    const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    if (bits > 1) {
      if (fin && rst) c.checkHistory(H_FIN_RST << sh, orig ? 'I' : 'i');
      else c.checkHistory(H_MULTI << sh, orig ? 'Q' : 'q');
    } else if (bits === 1) {
      if (syn) {
        const code = f & TCP_ACK ? (orig ? 'H' : 'h') : orig ? 'S' : 's';
        if (c.checkHistory(H_SYN << sh, code) && relSeq !== ep.histLastSyn) c.addHistory(code);
        ep.histLastSyn = relSeq;
      }
      if (fin) {
        if (c.checkHistory(H_FIN << sh, orig ? 'F' : 'f') && relSeq + len !== ep.histLastFin) c.addHistory(orig ? 'F' : 'f');
        ep.histLastFin = relSeq + len;
      }
      if (rst) {
        if (c.checkHistory(H_RST << sh, orig ? 'R' : 'r') && relSeq !== ep.histLastRst) c.addHistory(orig ? 'R' : 'r');
        ep.histLastRst = relSeq;
      }
    } else if (len) c.checkHistory(H_DATA << sh, orig ? 'D' : 'd');
    else if (f & TCP_ACK) c.checkHistory(H_ACK << sh, orig ? 'A' : 'a');
  }

  /** Zeek's UpdateInactiveState; returns whether the connection closes. */
  private inactiveState(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, isOrig: boolean, f: number, len: number, seq: number, ack: number, ts: number): boolean {
    const syn = (f & TCP_SYN) !== 0;
    const ackf = (f & TCP_ACK) !== 0;
    let doClose = false;
    if (syn) {
      if (isOrig) {
        if (ackf) {
          this.w.add('tcp.originator_SYN_ack');
          ep.setState(Ep.SYN_ACK_SENT);
        } else ep.setState(Ep.SYN_SENT);
        if (c.attemptAt === 0) c.attemptAt = ts + this.o.attemptDelay;
      } else {
        if (!ackf && peer.state === Ep.SYN_ACK_SENT && seq >>> 0 === ep.startSeq) {
          // SYN and SYN-ACK seen in reverse order: the roles were wrong.
          this.flipRoles(c);
          peer.setState(Ep.ESTABLISHED);
        } else if (!ackf) this.w.add('tcp.simultaneous_open');
        if (peer.state === Ep.SYN_SENT) peer.setState(Ep.ESTABLISHED);
        else if (peer.state === Ep.INACTIVE) this.w.add('tcp.unsolicited_SYN_response');
        ep.setState(Ep.ESTABLISHED);
      }
    }
    if (f & TCP_FIN) {
      ep.setState(Ep.CLOSED);
      doClose = true;
    }
    if (f & TCP_RST) {
      ep.setState(Ep.RESET);
      doClose = true;
    }
    if (ep.state === Ep.INACTIVE) {
      const orig = c.tcpO!;
      if (!isOrig && len === 0 && orig.state === Ep.SYN_SENT) {
        // An ACK of the SYN before the SYN-ACK (some stacks do this): not a partial connection.
      } else if (ackf && peer.state === Ep.ESTABLISHED) {
        ep.setState(Ep.ESTABLISHED);
      } else {
        ep.setState(Ep.PARTIAL);
      }
    }
    void ack;
    return doClose;
  }

  private flipRoles(c: Conn): void {
    let t = c.o0; c.o0 = c.r0; c.r0 = t;
    t = c.o1; c.o1 = c.r1; c.r1 = t;
    t = c.o2; c.o2 = c.r2; c.r2 = t;
    t = c.o3; c.o3 = c.r3; c.r3 = t;
    t = c.oPort; c.oPort = c.rPort; c.rPort = t;
    const e = c.tcpO!;
    c.tcpO = c.tcpR;
    c.tcpR = e;
    c.tcpO!.isOrig = true;
    c.tcpR!.isOrig = false;
    t = c.origPkts; c.origPkts = c.respPkts; c.respPkts = t;
    t = c.origIpBytes; c.origIpBytes = c.respIpBytes; c.respIpBytes = t;
    t = c.origFrameBytes; c.origFrameBytes = c.respFrameBytes; c.respFrameBytes = t;
    t = c.origMac; c.origMac = c.respMac; c.respMac = t;
    // Swap the history bits of the two sides as well.
    c.histSeen = ((c.histSeen & 0xffff) << 16) | (c.histSeen >>> 16);
    c.flipped = !c.flipped;
    c.addHistory('^');
  }

  private noteHandshake(c: Conn): void {
    if (c.handshakeDone) return;
    const o = c.tcpO!.state;
    const r = c.tcpR!.state;
    if (o > Ep.SYN_ACK_SENT || r > Ep.SYN_ACK_SENT) c.handshakeDone = true;
  }

  /** The peer acknowledged `ep`'s data up to relAck: bytes never seen below it are missed. */
  private ackReceived(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint, relAck: number): void {
    let upTo = relAck;
    if (ep.finCnt > 0 && upTo >= ep.finRel) upTo = ep.finRel - 1;
    if (upTo <= ep.nextRel) return;
    // Partial connections fake their initial sequence numbers; an early ack proves nothing.
    if (upTo <= 2 && c.partial) return;
    let missing = 0;
    let cur = ep.nextRel;
    const h = ep.holes;
    let k = 0;
    while (k < h.length && h[k] < upTo) {
      if (h[k] > cur) missing += h[k] - cur;
      if (h[k + 1] > cur) cur = h[k + 1];
      k += 2;
    }
    if (upTo > cur) {
      missing += upTo - cur;
      cur = upTo;
    }
    if (k > 0) h.splice(0, k);
    ep.nextRel = cur;
    this.hooks.onGap(c, ep.isOrig, upTo);
    if (missing > 0 && ep.state !== Ep.PARTIAL && peer.state !== Ep.PARTIAL) {
      ep.missedBytes += missing;
      if (++ep.gapCnt === ep.gapThresh) {
        c.addHistory(ep.isOrig ? 'G' : 'g');
        ep.gapThresh *= 10;
      }
    }
  }

  private dataSent(c: Conn, ep: TcpEndpoint, relData: number, len: number, m: PacketMeta, isOrig: boolean): void {
    const end = relData + len;
    ep.dataBytes += len;
    if (relData <= ep.nextRel) {
      if (end > ep.nextRel) {
        ep.nextRel = end;
        const h = ep.holes;
        // Absorb buffered ranges that are now contiguous.
        while (h.length && h[0] <= ep.nextRel) {
          if (h[1] > ep.nextRel) ep.nextRel = h[1];
          h.splice(0, 2);
        }
      }
    } else {
      this.addRange(ep, relData, end);
    }
    if (m.capPayloadLen > 0) this.hooks.onPayload(c, isOrig, m, relData);
  }

  private addRange(ep: TcpEndpoint, s: number, e: number): void {
    const h = ep.holes;
    let i = 0;
    while (i < h.length && h[i + 1] < s) i += 2;
    if (i < h.length && h[i] <= e) {
      if (s < h[i]) h[i] = s;
      if (e > h[i + 1]) h[i + 1] = e;
      // merge following ranges swallowed by the extension
      while (i + 2 < h.length && h[i + 2] <= h[i + 1]) {
        if (h[i + 3] > h[i + 1]) h[i + 1] = h[i + 3];
        h.splice(i + 2, 2);
      }
      return;
    }
    if (h.length >= this.o.maxHoles * 2) {
      this.w.add('tcp.too_many_holes');
      return;
    }
    h.splice(i, 0, s, e);
  }

  private connectionClosed(c: Conn, ep: TcpEndpoint, peer: TcpEndpoint): void {
    if (ep.didClose) return;
    ep.didClose = true;
    const complete = ep.state === Ep.RESET || peer.didClose || peer.state === Ep.INACTIVE;
    if (complete && c.closeAt === 0) c.closeAt = c.lastTs + this.o.closeDelay;
  }

  /** Zeek's IsReuse: a new SYN on a closed connection, or with a new initial sequence number. */
  private isReuse(c: Conn, m: PacketMeta, fromOrig: boolean): boolean {
    const f = m.tcpFlags;
    if (!(f & TCP_SYN)) return false;
    let origEp = c.tcpO!;
    if (f & TCP_ACK) {
      if (origEp.state !== Ep.INACTIVE) return false;
      origEp = c.tcpR!;
    }
    const closed = c.tcpO!.didClose || c.tcpR!.didClose;
    if (!closed) {
      const seq = m.seq >>> 0;
      if (seq === origEp.startSeq) return false;
      if (!(f & TCP_ACK) && origEp.state === Ep.SYN_ACK_SENT && c.tcpR!.state === Ep.INACTIVE && seq === c.tcpR!.startSeq) return false;
      this.w.add(origEp.state === Ep.SYN_SENT ? 'tcp.SYN_seq_jump' : 'tcp.active_connection_reuse');
    }
    void fromOrig;
    return true;
  }

  // ---- expiry ------------------------------------------------------------------------

  /** Whether the connection's time is up at network time `now` (lazy form of Zeek's timers). */
  private expired(c: Conn, now: number): boolean {
    if (c.closeAt !== 0 && now >= c.closeAt) return true;
    if (c.proto === PROTO_TCP) {
      if (c.attemptAt !== 0 && now >= c.attemptAt) {
        const o = c.tcpO!.state;
        if ((o === Ep.SYN_SENT || o === Ep.SYN_ACK_SENT) && c.tcpR!.state === Ep.INACTIVE) return true;
      }
      return now - c.lastTs >= (c.handshakeDone ? this.o.tcpInactivity : this.o.udpInactivity);
    }
    return now - c.lastTs >= (c.proto === PROTO_UDP ? this.o.udpInactivity : this.o.icmpInactivity);
  }

  /** Removes every expired connection; those idle less than the shortest delay are skipped. */
  sweep(now: number): void {
    const minIdle = Math.min(this.o.closeDelay, this.o.attemptDelay);
    let i = this.lruHead;
    while (i >= 0) {
      const c = this.conns[i]!;
      const next = this.lruNext[i];
      if (now - c.seenTs < minIdle) break;
      if (this.expired(c, now)) this.remove(c);
      i = next;
    }
  }

  /** Ends every connection (end of input), oldest first by creation. */
  flushAll(): void {
    const all: Conn[] = [];
    for (const c of this.conns) if (c !== null) all.push(c);
    all.sort((a, b) => a.serial - b.serial);
    for (const c of all) this.remove(c);
  }

  private evictOldest(): void {
    const i = this.lruHead;
    if (i < 0) return;
    const c = this.conns[i]!;
    c.evicted = true;
    this.evicted++;
    this.w.add('flow.evicted');
    this.remove(c);
  }

  remove(c: Conn): void {
    this.unlink(c);
    this.hooks.onEnd(c);
  }

  // ---- storage -----------------------------------------------------------------------

  private insert(c: Conn): void {
    const idx = this.free.length ? this.free.pop()! : this.conns.length;
    if (idx === this.conns.length) this.conns.push(c);
    else this.conns[idx] = c;
    c.idx = idx;
    this.placeSlot(c, idx);
    this.count++;
    // append to LRU tail
    this.lruPrev[idx] = this.lruTail;
    this.lruNext[idx] = -1;
    if (this.lruTail >= 0) this.lruNext[this.lruTail] = idx;
    else this.lruHead = idx;
    this.lruTail = idx;
  }

  private slotHash(c: Conn): number {
    const p = c.proto;
    return ((FlowTable.hashEnd(c.o0, c.o1, c.o2, c.o3, c.oPort) ^ FlowTable.hashEnd(c.r0, c.r1, c.r2, c.r3, c.rPort)) + p * 0x01000193) | 0;
  }

  private placeSlot(c: Conn, idx: number): void {
    let i = this.slotHash(c) & this.mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & this.mask;
    this.slots[i] = idx + 1;
  }

  private unlink(c: Conn): void {
    const idx = c.idx;
    if (idx < 0) return;
    // Find its slot, then backward-shift deletion keeps probe chains intact without tombstones.
    let i = this.slotHash(c) & this.mask;
    while (this.slots[i] !== idx + 1) i = (i + 1) & this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const v = this.slots[j];
      if (v === EMPTY) break;
      const k = this.slotHash(this.conns[v - 1]!) & this.mask;
      // Move v back to i if its home k is not cyclically in (i, j].
      if (i <= j ? k <= i || k > j : k <= i && k > j) {
        this.slots[i] = v;
        i = j;
      }
    }
    this.slots[i] = EMPTY;
    const p = this.lruPrev[idx];
    const n = this.lruNext[idx];
    if (p >= 0) this.lruNext[p] = n;
    else this.lruHead = n;
    if (n >= 0) this.lruPrev[n] = p;
    else this.lruTail = p;
    this.conns[idx] = null;
    this.free.push(idx);
    c.idx = -1;
    this.count--;
  }

  private touch(c: Conn, ts: number): void {
    if (ts > c.seenTs) c.seenTs = ts;
    const idx = c.idx;
    if (idx === this.lruTail) return;
    const p = this.lruPrev[idx];
    const n = this.lruNext[idx];
    if (p >= 0) this.lruNext[p] = n;
    else this.lruHead = n;
    this.lruPrev[n] = p;
    this.lruPrev[idx] = this.lruTail;
    this.lruNext[idx] = -1;
    this.lruNext[this.lruTail] = idx;
    this.lruTail = idx;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    const np = new Int32Array(cap >> 1);
    const nn = new Int32Array(cap >> 1);
    np.set(this.lruPrev.subarray(0, Math.min(this.lruPrev.length, np.length)));
    nn.set(this.lruNext.subarray(0, Math.min(this.lruNext.length, nn.length)));
    this.lruPrev = np;
    this.lruNext = nn;
    for (let k = 0; k < this.conns.length; k++) {
      const c = this.conns[k];
      if (c !== null) this.placeSlot(c, k);
    }
  }
}

/** Limited broadcast, IPv4 multicast (224/4) or IPv6 multicast (ff00::/8). */
function isGroupAddr(a: Uint32Array): boolean {
  if (a[0] === 0 && a[1] === 0 && a[2] === 0xffff) {
    const v = a[3];
    return v === 0xffffffff || v >>> 28 === 0xe;
  }
  return a[0] >>> 24 === 0xff;
}
