// The flow table: connections keyed by their 5-tuple in an open-addressing hash (numbers,
// collision-checked), LRU lists for expiry and eviction, and Zeek's connection semantics for who
// is the originator, TCP state, history, sizes and timeouts. All per-connection numbers live in
// a FlowStore (struct of typed arrays); the per-packet path allocates nothing.
import { Conn, H_ACK, H_DATA, H_FIN, H_FIN_RST, H_MULTI, H_RST, H_SYN, H_UDP_DATA, PROTO_TCP, PROTO_UDP } from './conn.js';
import { icmpCounterpart } from './icmp.js';
import { likelyServerPort } from './ports.js';
import { F_EVICTED, F_FLIPPED, F_HANDSHAKE_DONE, F_PARTIAL, F_SEEN_ORIG, F_SEEN_RESP, F_STEALTH, FlowStore, HIST_MAX } from './store.js';
import { Ep, TOO_LARGE_SEQ_DELTA, endpointSize, initSeq, seqDelta, setState, updateAckSeq, updateLastSeq } from './tcp.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TCP_URG, type PacketMeta } from '../decode/packet.js';
import type { Weirds } from '../decode/weird.js';

export interface FlowOptions {
  /** Most connections kept at once; past it the least recently active are evicted. */
  maxFlows: number;
  tcpInactivity: number;
  udpInactivity: number;
  icmpInactivity: number;
  /** Zeek's tcp_close_delay and tcp_attempt_delay: 5 s each. */
  closeDelay: number;
  attemptDelay: number;
  /** Most out-of-order ranges remembered per direction for gap accounting. */
  maxHoles: number;
}

export const DEFAULT_FLOW_OPTIONS: FlowOptions = {
  maxFlows: 2_000_000,
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
  /** A packet's payload; for TCP `m.relSeq` is its first byte's relative sequence number. */
  onPayload(c: Conn, isOrig: boolean, m: PacketMeta): void;
  /** The peer acknowledged this direction's data up to `upTo` (relative): holes below are lost. */
  onGap(c: Conn, isOrig: boolean, upTo: number): void;
  /** Both sides closed (or one reset): the connection is over, though it stays in the table a
   *  few seconds more for stray packets. Optional. */
  onClose?(c: Conn): void;
  /** The connection is finished: log it. The slot is reused right after. */
  onEnd(c: Conn): void;
  /**
   * Every PROGRESS_PKTS packets one side of a connection sends (so a long flow is seen before
   * it ends: a flood from one flow). Optional; read the connection, don't keep it.
   */
  onProgress?(c: Conn, isOrig: boolean): void;
}

/** onProgress is called each time one side's packet count reaches a multiple of this (a power of two). */
export const PROGRESS_PKTS = 1024;

const EMPTY = 0;
const SWEEP_INTERVAL = 1;
const MIN_CAPACITY = 1 << 14;
/** LRU lists: connections on the short (60 s) and the long (300 s) inactivity timeout. */
/** Slots of FlowTable.num: the relative data and ack numbers handed to dataSent/ackReceived. */
const NUM_REL = 0;
const NUM_ACK = 1;
const LIST_SHORT = 0;
const LIST_LONG = 1;

export class FlowTable {
  readonly s: FlowStore;
  private readonly num = new Float64Array(2);
  /**
   * The hash table: per entry, the slot number + 1 (0 empty) and the full hash (compared before
   * the tuple; gives an entry's home on deletion), side by side so a probe touches one cache line.
   */
  private slots: Int32Array;
  /** Each connection slot's hash, to find its table entry without rehashing its tuple. */
  private slotH: Int32Array;
  private mask: number;
  private conns: (Conn | null)[] = [];
  /**
   * The handle each slot had last, reused by its next connection (a handle is only valid while
   * its connection lives, per FlowHooks.onEnd, unless detach()ed, and a detached one is not reused).
   */
  private spare: (Conn | null)[] = [];
  private free: number[] = [];
  private top = 0;
  private lruPrev: Int32Array;
  private lruNext: Int32Array;
  private lruList: Uint8Array;
  /** seenTs of each entry when it was queued at its list's tail (lazy LRU). */
  private posTs: Float64Array;
  private readonly head = [-1, -1];
  private readonly tail = [-1, -1];
  /** Connections with a close or attempt deadline pending, checked at each sweep. */
  private pending: number[] = [];
  private pendingMark: Uint8Array;
  count = 0;
  private serial = 0;
  private lastSweep = 0;
  now = 0;
  evicted = 0;
  created = 0;
  peak = 0;
  private readonly o: FlowOptions;
  private justFlipped = false;

  constructor(
    private readonly w: Weirds,
    private readonly hooks: FlowHooks,
    opts: Partial<FlowOptions> = {},
  ) {
    this.o = { ...DEFAULT_FLOW_OPTIONS, ...opts };
    this.s = new FlowStore(MIN_CAPACITY);
    const t = FlowTable.tables(MIN_CAPACITY);
    this.slots = t.slots;
    this.slotH = t.slotH;
    this.mask = t.mask;
    this.lruPrev = t.lruPrev;
    this.lruNext = t.lruNext;
    this.lruList = t.lruList;
    this.posTs = t.posTs;
    this.pendingMark = t.pendingMark;
  }

  /** The table's own arrays (beside the store's) for `cap` connections. */
  private static tables(cap: number) {
    return {
      slots: new Int32Array(cap * 4),
      slotH: new Int32Array(cap),
      mask: cap * 2 - 1,
      lruPrev: new Int32Array(cap),
      lruNext: new Int32Array(cap),
      lruList: new Uint8Array(cap),
      posTs: new Float64Array(cap),
      pendingMark: new Uint8Array(cap),
    };
  }

  /**
   * Gives the memory of an emptied table back (after flushAll at the end of the input): the
   * arrays sized for the largest moment of a big capture would otherwise stay resident while
   * the report is built. The table stays usable, back at its initial size.
   */
  releaseStorage(): void {
    if (this.count !== 0) return;
    this.s.reset(MIN_CAPACITY);
    Object.assign(this, FlowTable.tables(MIN_CAPACITY));
    this.forgetAll();
  }

  /**
   * Makes room for about `n` connections up front (the engine estimates it from the input size),
   * so a large capture does not pay for repeated doubling of every array.
   */
  reserve(n: number): void {
    const target = Math.min(n, this.o.maxFlows);
    if (this.s.cap >= target) return;
    let cap = this.s.cap;
    while (cap < target) cap *= 2;
    this.grow(cap);
  }

  // ---- hashing and lookup -------------------------------------------------------------

  private static hashEnd(a0: number, a1: number, a2: number, a3: number, port: number): number {
    let h = Math.imul(a3 ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ a2 ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ a1 ^ (h >>> 16), 0x27d4eb2f);
    h = Math.imul(h ^ a0 ^ (h >>> 15), 0x165667b1);
    return Math.imul(h ^ port ^ (h >>> 13), 0x9e3779b1);
  }

  /** 1: packet goes originator → responder; 2: the reverse; 0: another connection. */
  private match(i: number, proto: number, src: Uint32Array, sp: number, dst: Uint32Array, dp: number): number {
    const s = this.s;
    if (s.proto[i] !== proto) return 0;
    const a = s.addr;
    const b = i * 8;
    if (s.oPort[i] === sp && s.rPort[i] === dp && a[b + 3] === src[3] && a[b + 7] === dst[3] && a[b + 2] === src[2] && a[b + 6] === dst[2] && a[b + 1] === src[1] && a[b + 5] === dst[1] && a[b] === src[0] && a[b + 4] === dst[0]) return 1;
    if (s.oPort[i] === dp && s.rPort[i] === sp && a[b + 3] === dst[3] && a[b + 7] === src[3] && a[b + 2] === dst[2] && a[b + 6] === src[2] && a[b + 1] === dst[1] && a[b + 5] === src[1] && a[b] === dst[0] && a[b + 4] === src[0]) return 2;
    return 0;
  }

  // ---- the per-packet entry point ----------------------------------------------------

  /** One decoded packet into its connection, which is returned. */
  packet(m: PacketMeta): Conn {
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
    const src = m.src;
    const dst = m.dst;
    const h = ((FlowTable.hashEnd(src[0], src[1], src[2], src[3], sp) ^ FlowTable.hashEnd(dst[0], dst[1], dst[2], dst[3], dp)) + proto * 0x01000193) | 0;
    let j = h & this.mask;
    let i = -1;
    let dir = 0;
    for (;;) {
      const v = this.slots[j * 2];
      if (v === EMPTY) break;
      if (this.slots[j * 2 + 1] === h) {
        dir = this.match(v - 1, proto, src, sp, dst, dp);
        if (dir !== 0) {
          i = v - 1;
          break;
        }
      }
      j = (j + 1) & this.mask;
    }
    if (i >= 0) {
      this.clock = ts;
      if (this.expired(i) || (proto === PROTO_TCP && this.isReuse(i, m))) {
        this.remove(i);
        i = -1;
      }
    }
    if (i < 0) {
      i = this.create(m, proto, sp, dp, icmpOneWay, h);
      dir = this.match(i, proto, src, sp, dst, dp);
    }
    const s = this.s;
    const c = this.conns[i]!;
    const side = dir === 1 ? 0 : 1;
    const isOrig = side === 0;
    this.touch(i, ts);
    this.w.conn = c;
    const e = i * 2 + side;
    if ((++s.pkts[e] & (PROGRESS_PKTS - 1)) === 0 && this.hooks.onProgress !== undefined) this.hooks.onProgress(c, isOrig);
    s.ipBytes[e] += m.ipTotalLen;
    s.frameBytes[e] += m.wirelen;
    if (s.mac[e] === 0) s.mac[e] = m.srcMac;
    if (proto === PROTO_TCP) {
      this.tcp(c, i, side, m);
    } else {
      if (ts >= s.lastTs[i]) {
        s.lastTs[i] = ts;
        s.lastSec[i] = m.tsSec;
        s.lastNsec[i] = m.tsNsec;
      }
      s.payBytes[e] += m.payloadLen;
      if (proto === PROTO_UDP) this.checkHistory(i, isOrig ? H_UDP_DATA : H_UDP_DATA << 16, isOrig ? 68 : 100); // 'D' / 'd'
      if (m.capPayloadLen > 0) {
        m.relSeq = 0;
        this.hooks.onPayload(c, isOrig, m);
      }
    }
    this.w.conn = null;
    return c;
  }

  // ---- history -----------------------------------------------------------------------

  private addHistory(i: number, code: number): void {
    const s = this.s;
    const n = s.histLen[i];
    if (n < HIST_MAX) {
      s.hist[i * HIST_MAX + n] = code;
      s.histLen[i] = n + 1;
    }
  }

  /** Adds the letter the first time `mask` is seen; returns true if it had been seen before. */
  private checkHistory(i: number, mask: number, code: number): boolean {
    const s = this.s;
    if ((s.histSeen[i] & mask) === 0) {
      s.histSeen[i] |= mask;
      this.addHistory(i, code);
      return false;
    }
    return true;
  }

  private create(m: PacketMeta, proto: number, sp: number, dp: number, icmpOneWay: boolean, h: number): number {
    if (this.count >= this.o.maxFlows) this.evictOldest();
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
    } else if (proto === PROTO_UDP) {
      // Never flip towards a broadcast or multicast destination: that side is no server.
      flip = likelyServerPort(proto, sp) && !likelyServerPort(proto, dp) && !isGroupAddr(m.dst);
    } else if (!icmpOneWay && (proto === 1 || proto === 58)) {
      // A reply seen first: the requester is the originator.
      const t = m.icmpType;
      flip = proto === 1 ? t === 0 || t === 14 || t === 16 || t === 18 || t === 9 : t === 129 || t === 131 || t === 134 || t === 136 || t === 140 || t === 145;
    }
    const i = this.allocSlot();
    const s = this.s;
    s.clear(i);
    const a = s.addr;
    const b = i * 8;
    const src = m.src;
    const dst = m.dst;
    s.proto[i] = proto;
    if (!flip) {
      a[b] = src[0]; a[b + 1] = src[1]; a[b + 2] = src[2]; a[b + 3] = src[3];
      a[b + 4] = dst[0]; a[b + 5] = dst[1]; a[b + 6] = dst[2]; a[b + 7] = dst[3];
      s.oPort[i] = sp;
      s.rPort[i] = dp;
    } else {
      a[b] = dst[0]; a[b + 1] = dst[1]; a[b + 2] = dst[2]; a[b + 3] = dst[3];
      a[b + 4] = src[0]; a[b + 5] = src[1]; a[b + 6] = src[2]; a[b + 7] = src[3];
      s.oPort[i] = dp;
      s.rPort[i] = sp;
      s.flags[i] |= F_FLIPPED;
      this.addHistory(i, 94); // '^'
    }
    s.startSec[i] = m.tsSec;
    s.startNsec[i] = m.tsNsec;
    s.lastSec[i] = m.tsSec;
    s.lastNsec[i] = m.tsNsec;
    s.lastTs[i] = m.ts;
    s.seenTs[i] = m.ts;
    s.vlan[i] = m.vlan;
    s.vlanInner[i] = m.vlanInner;
    s.fileIndex[i] = m.fileIndex;
    s.firstPacket[i] = m.packetNo;
    s.serial[i] = ++this.serial;
    this.slotH[i] = h;
    let c = this.spare[i];
    if (c === undefined || c === null || c.store !== s || c.idx !== i) c = new Conn(s, i);
    else c.reset();
    this.conns[i] = c;
    this.insert(i, LIST_SHORT);
    this.created++;
    if (this.count > this.peak) this.peak = this.count;
    this.hooks.onNew(c, m);
    return i;
  }

  // ---- TCP ----------------------------------------------------------------------------

  private tcp(c: Conn, i: number, side: number, m: PacketMeta): void {
    const s = this.s;
    let isOrig = side === 0;
    let ep = i * 2 + side;
    let peer = i * 2 + (1 - side);
    const f = m.tcpFlags;
    const syn = (f & TCP_SYN) !== 0;
    const fin = (f & TCP_FIN) !== 0;
    const rst = (f & TCP_RST) !== 0;
    const ackf = (f & TCP_ACK) !== 0;
    const len = m.payloadLen;
    const seq = m.seq;
    const ack = m.ack;
    // Zeek's SetPartialStatus: judged on the first packet of each side.
    const fl = s.flags[i];
    if (isOrig) {
      if ((fl & F_SEEN_ORIG) === 0) {
        s.flags[i] = ((fl | F_SEEN_ORIG) & ~F_PARTIAL) | (!syn || ackf ? F_PARTIAL : 0) | (!syn && !ackf && !rst ? F_STEALTH : 0);
      }
    } else if ((fl & F_SEEN_RESP) === 0) {
      s.flags[i] = fl | F_SEEN_RESP | ((fl & F_PARTIAL) === 0 && !syn ? F_PARTIAL : 0);
    }
    let segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
    if (rst) segLen -= len;
    const onePast = (seq + segLen) >>> 0;

    // Initialise this side's sequence space (Zeek's init_endpoint).
    switch (s.st[ep]) {
      case Ep.INACTIVE:
        if (syn) initSeq(s, ep, seq, onePast);
        else initSeq(s, ep, seq - 1, seq);
        break;
      case Ep.SYN_SENT:
      case Ep.SYN_ACK_SENT:
        if (syn && seq >>> 0 !== s.startSeq[ep]) {
          this.w.add('tcp.SYN_seq_jump');
          initSeq(s, ep, seq, onePast);
        }
        break;
      case Ep.ESTABLISHED:
      case Ep.PARTIAL:
        if (syn) {
          if (endpointSize(s, ep, peer) > 0) this.w.add('tcp.SYN_inside_connection');
          if (seq >>> 0 !== s.startSeq[ep]) this.w.add('tcp.SYN_seq_jump');
          initSeq(s, ep, seq, onePast);
        }
        break;
      case Ep.RESET:
        if (syn && s.prevSt[ep] === Ep.INACTIVE) initSeq(s, ep, seq, onePast);
        break;
    }

    const relSeq = s.lastRel[ep] + seqDelta(seq, s.lastSeq[ep]);
    const underflow = relSeq < 0;
    if (underflow && !rst) this.w.add('tcp.seq_underflow_or_misorder');

    this.history(i, ep, isOrig, f, relSeq, len);

    if (m.window === 0 && !rst && s.st[peer] !== Ep.CLOSED && s.st[ep] !== Ep.RESET) {
      if (++s.w0Cnt[ep] === s.w0Th[ep]) {
        this.addHistory(i, isOrig ? 87 : 119); // 'W' / 'w'
        s.w0Th[ep] *= 10;
      }
    }

    if (!(s.didClose[i * 2] && s.didClose[i * 2 + 1]) && m.ts >= s.lastTs[i]) {
      s.lastTs[i] = m.ts;
      s.lastSec[i] = m.tsSec;
      s.lastNsec[i] = m.tsNsec;
    }

    if (syn) {
      if (rst) this.w.add('tcp.christmas');
      if (f & TCP_URG) this.w.add('tcp.baroque_SYN');
      if (len > 0) this.w.add('tcp.SYN_with_data');
    }
    if (fin) {
      s.finCnt[ep]++;
      s.finRel[ep] = relSeq + segLen;
    }
    if (rst) s.rstCnt[ep]++;

    let relAck = 0;
    if (ackf) {
      if (s.st[peer] === Ep.INACTIVE) {
        relAck = 1;
        // Number the peer as though its SYN had been seen.
        initSeq(s, peer, ack - 1, ack - 1);
      } else {
        relAck = s.ackRel[peer] + seqDelta(ack, s.ackSeq[peer]);
        if (relAck < 0) {
          relAck = 0;
          this.w.add('tcp.ack_underflow_or_misorder');
        } else if (!rst) {
          const d = seqDelta(ack, s.ackSeq[peer]);
          if (!(ack === 0 && d > TOO_LARGE_SEQ_DELTA) && d > 0) updateAckSeq(s, peer, ack);
        }
      }
    }

    // Zeek's update_last_seq.
    const deltaLast = seqDelta(onePast, s.lastSeq[ep]);
    if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
      // untrusted jump
    } else if (fin && s.lastRel[ep] === 1) {
      updateLastSeq(s, ep, onePast);
    } else if (s.st[ep] === Ep.RESET) {
      // nothing after a reset is trusted
    } else if (deltaLast > 0) {
      updateLastSeq(s, ep, onePast);
    } else if (len > 0) {
      if (++s.rxCnt[ep] === s.rxTh[ep]) {
        this.addHistory(i, isOrig ? 84 : 116); // 'T' / 't'
        s.rxTh[ep] *= 10;
      }
    }

    let doClose = false;
    switch (s.st[ep]) {
      case Ep.INACTIVE:
        this.justFlipped = false;
        doClose = this.inactiveState(i, ep, peer, isOrig, f, len, seq, m.ts);
        if (this.justFlipped) {
          // The roles were swapped: this packet's sender is now the originator.
          isOrig = !isOrig;
          const t = ep;
          ep = peer;
          peer = t;
        }
        break;
      case Ep.SYN_SENT:
      case Ep.SYN_ACK_SENT:
        if (fin) {
          setState(s, ep, Ep.CLOSED);
          doClose = true;
        }
        if (rst) {
          setState(s, ep, Ep.RESET);
          doClose = true;
        } else if (len > 0) this.w.add('tcp.data_before_established');
        break;
      case Ep.ESTABLISHED:
      case Ep.PARTIAL:
        if (syn && s.st[ep] === Ep.PARTIAL && s.st[peer] === Ep.INACTIVE && !ackf) setState(s, ep, Ep.SYN_SENT);
        if (fin && !rst) {
          setState(s, ep, Ep.CLOSED);
          if (s.st[peer] === Ep.RESET && s.prevSt[peer] === Ep.CLOSED) setState(s, peer, Ep.CLOSED);
          doClose = true;
        }
        if (rst) {
          setState(s, ep, Ep.RESET);
          doClose = true;
        }
        break;
      case Ep.CLOSED:
        if (rst && s.st[peer] !== Ep.CLOSED) {
          setState(s, ep, Ep.RESET);
          if (!s.didClose[ep]) doClose = true;
        }
        break;
      case Ep.RESET:
        if (len > 0 && !rst) this.w.add('tcp.data_after_reset');
        break;
    }
    if ((s.flags[i] & F_HANDSHAKE_DONE) === 0 && (s.st[i * 2] > Ep.SYN_ACK_SENT || s.st[i * 2 + 1] > Ep.SYN_ACK_SENT)) {
      // The handshake is over: the long inactivity timeout applies from now on.
      s.flags[i] |= F_HANDSHAKE_DONE;
      this.moveList(i, LIST_LONG);
    }

    // Relative numbers go to the helpers through a Float64Array: as arguments of calls that are
    // not inlined they were boxed (a heap number a packet).
    if (ackf) {
      this.num[NUM_ACK] = relAck;
      this.ackReceived(c, i, peer, ep);
    }

    if (len > 0 && !rst && !underflow) {
      this.num[NUM_REL] = syn ? relSeq + 1 : relSeq;
      this.dataSent(c, ep, len, m, isOrig);
    }

    if (doClose) this.connectionClosed(i, ep, peer);
  }

  private history(i: number, ep: number, orig: boolean, f: number, relSeq: number, len: number): void {
    const s = this.s;
    const sh = orig ? 0 : 16;
    const lc = orig ? 0 : 32; // lower case for the responder
    const syn = (f & TCP_SYN) !== 0;
    const fin = (f & TCP_FIN) !== 0;
    const rst = (f & TCP_RST) !== 0;
    const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    if (bits > 1) {
      if (fin && rst) this.checkHistory(i, H_FIN_RST << sh, 73 + lc); // 'I'
      else this.checkHistory(i, H_MULTI << sh, 81 + lc); // 'Q'
    } else if (bits === 1) {
      if (syn) {
        const code = (f & TCP_ACK ? 72 : 83) + lc; // 'H' / 'S'
        if (this.checkHistory(i, H_SYN << sh, code) && relSeq !== s.hLastSyn[ep]) this.addHistory(i, code);
        s.hLastSyn[ep] = relSeq;
      }
      if (fin) {
        if (this.checkHistory(i, H_FIN << sh, 70 + lc) && relSeq + len !== s.hLastFin[ep]) this.addHistory(i, 70 + lc); // 'F'
        s.hLastFin[ep] = relSeq + len;
      }
      if (rst) {
        if (this.checkHistory(i, H_RST << sh, 82 + lc) && relSeq !== s.hLastRst[ep]) this.addHistory(i, 82 + lc); // 'R'
        s.hLastRst[ep] = relSeq;
      }
    } else if (len) this.checkHistory(i, H_DATA << sh, 68 + lc); // 'D'
    else if (f & TCP_ACK) this.checkHistory(i, H_ACK << sh, 65 + lc); // 'A'
  }

  /** Zeek's UpdateInactiveState; returns whether the connection closes. */
  private inactiveState(i: number, ep: number, peer: number, isOrig: boolean, f: number, len: number, seq: number, ts: number): boolean {
    const s = this.s;
    const syn = (f & TCP_SYN) !== 0;
    const ackf = (f & TCP_ACK) !== 0;
    let doClose = false;
    if (syn) {
      if (isOrig) {
        if (ackf) {
          this.w.add('tcp.originator_SYN_ack');
          setState(s, ep, Ep.SYN_ACK_SENT);
        } else setState(s, ep, Ep.SYN_SENT);
        if (s.attemptAt[i] === 0) {
          s.attemptAt[i] = ts + this.o.attemptDelay;
          this.addPending(i);
        }
      } else {
        if (!ackf && s.st[peer] === Ep.SYN_ACK_SENT && seq >>> 0 === s.startSeq[ep]) {
          // SYN and SYN-ACK seen in reverse order: the roles were wrong.
          this.flipRoles(i);
          // After the flip this endpoint is the originator and the peer the responder.
          const e2 = i * 2;
          setState(s, e2 + 1, Ep.ESTABLISHED);
          setState(s, e2, Ep.ESTABLISHED);
          return false;
        }
        if (!ackf) this.w.add('tcp.simultaneous_open');
        if (s.st[peer] === Ep.SYN_SENT) setState(s, peer, Ep.ESTABLISHED);
        else if (s.st[peer] === Ep.INACTIVE) this.w.add('tcp.unsolicited_SYN_response');
        setState(s, ep, Ep.ESTABLISHED);
      }
    }
    if (f & TCP_FIN) {
      setState(s, ep, Ep.CLOSED);
      doClose = true;
    }
    if (f & TCP_RST) {
      setState(s, ep, Ep.RESET);
      doClose = true;
    }
    if (s.st[ep] === Ep.INACTIVE) {
      if (!isOrig && len === 0 && s.st[i * 2] === Ep.SYN_SENT) {
        // An ACK of the SYN before the SYN-ACK (some stacks do this): not a partial connection.
      } else if (ackf && s.st[peer] === Ep.ESTABLISHED) {
        setState(s, ep, Ep.ESTABLISHED);
      } else {
        setState(s, ep, Ep.PARTIAL);
      }
    }
    return doClose;
  }

  /** Swaps originator and responder of slot i (Zeek's FlipRoles). */
  private flipRoles(i: number): void {
    const s = this.s;
    const a = s.addr;
    const b = i * 8;
    for (let k = 0; k < 4; k++) {
      const t = a[b + k];
      a[b + k] = a[b + 4 + k];
      a[b + 4 + k] = t;
    }
    let t = s.oPort[i];
    s.oPort[i] = s.rPort[i];
    s.rPort[i] = t;
    const e = i * 2;
    for (const arr of [s.pkts, s.ipBytes, s.frameBytes, s.payBytes, s.mac, s.st, s.prevSt, s.startSeq, s.lastSeq, s.ackSeq, s.lastRel, s.ackRel, s.finRel, s.nextRel, s.missed, s.finCnt, s.rstCnt, s.didClose, s.hLastSyn, s.hLastFin, s.hLastRst, s.rxCnt, s.rxTh, s.w0Cnt, s.w0Th, s.gCnt, s.gTh, s.hasHoles]) {
      t = arr[e];
      arr[e] = arr[e + 1];
      arr[e + 1] = t;
    }
    const h0 = s.holes.get(e);
    const h1 = s.holes.get(e + 1);
    s.holes.delete(e);
    s.holes.delete(e + 1);
    if (h1 !== undefined) s.holes.set(e, h1);
    if (h0 !== undefined) s.holes.set(e + 1, h0);
    const hs = s.histSeen[i];
    s.histSeen[i] = ((hs & 0xffff) << 16) | (hs >>> 16);
    s.flags[i] ^= F_FLIPPED;
    this.addHistory(i, 94); // '^'
    this.justFlipped = true;
  }

  /** The peer acknowledged `ep`'s data up to relAck: bytes never seen below it are missed. */
  private ackReceived(c: Conn, i: number, ep: number, peer: number): void {
    const s = this.s;
    let upTo = this.num[NUM_ACK];
    if (s.finCnt[ep] > 0 && upTo >= s.finRel[ep]) upTo = s.finRel[ep] - 1;
    if (upTo <= s.nextRel[ep]) return;
    // Partial connections fake their initial sequence numbers; an early ack proves nothing.
    if (upTo <= 2 && (s.flags[i] & F_PARTIAL) !== 0) return;
    let missing = 0;
    let cur = s.nextRel[ep];
    const h = s.holesOf(ep);
    if (h !== undefined) {
      let k = 0;
      while (k < h.length && h[k] < upTo) {
        if (h[k] > cur) missing += h[k] - cur;
        if (h[k + 1] > cur) cur = h[k + 1];
        k += 2;
      }
      if (k > 0) h.splice(0, k);
      if (h.length === 0) s.dropHoles(ep);
    }
    if (upTo > cur) {
      missing += upTo - cur;
      cur = upTo;
    }
    s.nextRel[ep] = cur;
    this.hooks.onGap(c, (ep & 1) === 0, upTo);
    if (missing > 0 && s.st[ep] !== Ep.PARTIAL && s.st[peer] !== Ep.PARTIAL) {
      s.missed[ep] += missing;
      if (++s.gCnt[ep] === s.gTh[ep]) {
        this.addHistory(i, (ep & 1) === 0 ? 71 : 103); // 'G' / 'g'
        s.gTh[ep] *= 10;
      }
    }
  }

  private dataSent(c: Conn, ep: number, len: number, m: PacketMeta, isOrig: boolean): void {
    const s = this.s;
    const relData = this.num[NUM_REL];
    const end = relData + len;
    if (relData <= s.nextRel[ep]) {
      if (end > s.nextRel[ep]) {
        s.nextRel[ep] = end;
        const h = s.holesOf(ep);
        if (h !== undefined) {
          // Absorb recorded ranges that are now contiguous.
          while (h.length && h[0] <= s.nextRel[ep]) {
            if (h[1] > s.nextRel[ep]) s.nextRel[ep] = h[1];
            h.splice(0, 2);
          }
          if (h.length === 0) s.dropHoles(ep);
        }
      }
    } else {
      this.addRange(ep, relData, end);
    }
    if (m.capPayloadLen > 0) {
      m.relSeq = relData;
      this.hooks.onPayload(c, isOrig, m);
    }
  }

  private addRange(ep: number, st: number, en: number): void {
    const h = this.s.holesFor(ep);
    let i = 0;
    while (i < h.length && h[i + 1] < st) i += 2;
    if (i < h.length && h[i] <= en) {
      if (st < h[i]) h[i] = st;
      if (en > h[i + 1]) h[i + 1] = en;
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
    h.splice(i, 0, st, en);
  }

  private connectionClosed(i: number, ep: number, peer: number): void {
    const s = this.s;
    if (s.didClose[ep]) return;
    s.didClose[ep] = 1;
    const complete = s.st[ep] === Ep.RESET || s.didClose[peer] === 1 || s.st[peer] === Ep.INACTIVE;
    if (complete && s.closeAt[i] === 0) {
      s.closeAt[i] = s.lastTs[i] + this.o.closeDelay;
      this.addPending(i);
      // Tell the analyzers only when both sides are done (or one reset): a side that has not
      // spoken yet may still answer (a reply after the client's FIN).
      if (s.st[peer] !== Ep.INACTIVE) this.hooks.onClose?.(this.conns[i]!);
    }
  }

  /** Zeek's IsReuse: a new SYN on a closed connection, or with a new initial sequence number. */
  private isReuse(i: number, m: PacketMeta): boolean {
    const f = m.tcpFlags;
    if (!(f & TCP_SYN)) return false;
    const s = this.s;
    let origEp = i * 2;
    if (f & TCP_ACK) {
      if (s.st[origEp] !== Ep.INACTIVE) return false;
      origEp = i * 2 + 1;
    }
    const closed = s.didClose[i * 2] === 1 || s.didClose[i * 2 + 1] === 1;
    if (!closed) {
      const seq = m.seq >>> 0;
      if (seq === s.startSeq[origEp]) return false;
      if (!(f & TCP_ACK) && s.st[origEp] === Ep.SYN_ACK_SENT && s.st[i * 2 + 1] === Ep.INACTIVE && seq === s.startSeq[i * 2 + 1]) return false;
      this.w.add(s.st[origEp] === Ep.SYN_SENT ? 'tcp.SYN_seq_jump' : 'tcp.active_connection_reuse');
    }
    return true;
  }

  // ---- expiry ------------------------------------------------------------------------

  /**
   * The network time expiry is judged at: set before each expired() call instead of passed, since
   * a double argument to a call that is not inlined is boxed, an allocation per packet.
   */
  private clock = 0;

  /** Whether the connection's time is up at network time `clock` (lazy form of Zeek's timers). */
  private expired(i: number): boolean {
    const s = this.s;
    const now = this.clock;
    if (s.closeAt[i] !== 0 && now >= s.closeAt[i]) return true;
    if (s.proto[i] === PROTO_TCP) {
      if (s.attemptAt[i] !== 0 && now >= s.attemptAt[i]) {
        const o = s.st[i * 2];
        if ((o === Ep.SYN_SENT || o === Ep.SYN_ACK_SENT) && s.st[i * 2 + 1] === Ep.INACTIVE) return true;
      }
      return now - s.lastTs[i] >= ((s.flags[i] & F_HANDSHAKE_DONE) !== 0 ? this.o.tcpInactivity : this.o.udpInactivity);
    }
    return now - s.lastTs[i] >= (s.proto[i] === PROTO_UDP ? this.o.udpInactivity : this.o.icmpInactivity);
  }

  private addPending(i: number): void {
    if (this.pendingMark[i] === 0) {
      this.pendingMark[i] = 1;
      this.pending.push(i);
    }
  }

  /**
   * Removes expired connections. Close and attempt deadlines are few and checked one by one;
   * inactivity is found from the heads of the two LRU lists, whose members are ordered by their
   * last packet, so a sweep touches only what it removes.
   */
  sweep(now: number): void {
    this.clock = now;
    if (this.pending.length) {
      const keep: number[] = [];
      for (const i of this.pending) {
        if (this.conns[i] === null) {
          this.pendingMark[i] = 0;
          continue;
        }
        if (this.expired(i)) {
          this.pendingMark[i] = 0;
          this.remove(i);
          continue;
        }
        const s = this.s;
        const attemptLive = s.attemptAt[i] !== 0 && now < s.attemptAt[i];
        if (s.closeAt[i] !== 0 || attemptLive) keep.push(i);
        else this.pendingMark[i] = 0;
      }
      this.pending = keep;
    }
    const seen = this.s.seenTs;
    for (let list = 0; list < 2; list++) {
      const timeout = list === LIST_LONG ? this.o.tcpInactivity : Math.min(this.o.udpInactivity, this.o.icmpInactivity);
      let i = this.head[list];
      while (i >= 0) {
        const next = this.lruNext[i];
        if (now - seen[i] < timeout) {
          // Still active: if it was touched since it was queued, give it a place at the tail
          // and go on; an untouched one means everything after it is younger.
          if (seen[i] <= this.posTs[i]) break;
          this.unlinkLru(i);
          this.pushTail(i, list);
        } else if (this.expired(i)) this.remove(i);
        i = next;
      }
    }
  }

  /**
   * Ends every connection (end of input), in creation order, then empties the table at once:
   * unlinking each from the hash table and the LRU lists first would be wasted work.
   */
  flushAll(): void {
    const all: number[] = [];
    for (let i = 0; i < this.top; i++) if (this.conns[i] !== null) all.push(i);
    const ser = this.s.serial;
    all.sort((a, b) => ser[a] - ser[b]);
    for (const i of all) this.hooks.onEnd(this.conns[i]!);
    this.slots.fill(0);
    this.pendingMark.fill(0);
    this.s.holes.clear();
    this.forgetAll();
  }

  /** Empties the bookkeeping of connections (slots, LRU lists, pending deadlines, counts). */
  private forgetAll(): void {
    this.conns = [];
    this.spare = [];
    this.free = [];
    this.pending = [];
    this.top = 0;
    this.count = 0;
    this.head[0] = this.head[1] = -1;
    this.tail[0] = this.tail[1] = -1;
  }

  private evictOldest(): void {
    // The least recently active of the two lists' heads (after re-queuing active ones).
    this.requeueHeads(0, this.now, Infinity);
    this.requeueHeads(1, this.now, Infinity);
    const a = this.head[0];
    const b = this.head[1];
    const i = a < 0 ? b : b < 0 ? a : this.s.seenTs[a] <= this.s.seenTs[b] ? a : b;
    if (i < 0) return;
    this.s.flags[i] |= F_EVICTED;
    this.evicted++;
    this.w.add('flow.evicted');
    this.remove(i);
  }

  private remove(i: number): void {
    const c = this.conns[i]!;
    this.hooks.onEnd(c);
    this.unlink(i);
  }

  // ---- storage -----------------------------------------------------------------------

  private allocSlot(): number {
    if (this.free.length) return this.free.pop()!;
    if (this.top === this.s.cap) this.grow();
    return this.top++;
  }

  private insert(i: number, list: number): void {
    this.placeSlot(i);
    this.count++;
    this.lruList[i] = list;
    this.pushTail(i, list);
  }

  private pushTail(i: number, list: number): void {
    this.posTs[i] = this.s.seenTs[i];
    this.lruPrev[i] = this.tail[list];
    this.lruNext[i] = -1;
    if (this.tail[list] >= 0) this.lruNext[this.tail[list]] = i;
    else this.head[list] = i;
    this.tail[list] = i;
  }

  private unlinkLru(i: number): void {
    const list = this.lruList[i];
    const p = this.lruPrev[i];
    const n = this.lruNext[i];
    if (p >= 0) this.lruNext[p] = n;
    else this.head[list] = n;
    if (n >= 0) this.lruPrev[n] = p;
    else this.tail[list] = p;
  }

  private moveList(i: number, list: number): void {
    if (this.lruList[i] === list) return;
    this.unlinkLru(i);
    this.lruList[i] = list;
    this.pushTail(i, list);
  }

  private placeSlot(i: number): void {
    const h = this.slotH[i];
    let j = h & this.mask;
    while (this.slots[j * 2] !== EMPTY) j = (j + 1) & this.mask;
    this.slots[j * 2] = i + 1;
    this.slots[j * 2 + 1] = h;
  }

  private unlink(i: number): void {
    // Find its slot, then backward-shift deletion keeps probe chains intact without tombstones.
    let j = this.slotH[i] & this.mask;
    while (this.slots[j * 2] !== i + 1) j = (j + 1) & this.mask;
    let k = j;
    for (;;) {
      k = (k + 1) & this.mask;
      const v = this.slots[k * 2];
      if (v === EMPTY) break;
      const home = this.slots[k * 2 + 1] & this.mask;
      // Move v back to j unless its home lies cyclically in (j, k].
      if (j <= k ? home <= j || home > k : home <= j && home > k) {
        this.slots[j * 2] = v;
        this.slots[j * 2 + 1] = this.slots[k * 2 + 1];
        j = k;
      }
    }
    this.slots[j * 2] = EMPTY;
    this.unlinkLru(i);
    this.spare[i] = this.conns[i];
    this.conns[i] = null;
    this.s.dropHoles(i * 2);
    this.s.dropHoles(i * 2 + 1);
    this.free.push(i);
    this.count--;
  }

  /**
   * Marks activity. The LRU lists are kept lazily (a "second chance" scheme): a packet only
   * stamps seenTs; the sweep re-queues entries stamped since they were placed. Relinking on
   * every packet cost more than all the rest of the bookkeeping.
   */
  private touch(i: number, ts: number): void {
    if (ts > this.s.seenTs[i]) this.s.seenTs[i] = ts;
  }

  /** Moves a list's head entries that saw packets since they were queued to the tail. */
  private requeueHeads(list: number, now: number, timeout: number): void {
    const seen = this.s.seenTs;
    let i = this.head[list];
    while (i >= 0 && seen[i] > this.posTs[i] && now - seen[i] < timeout) {
      const next = this.lruNext[i];
      this.unlinkLru(i);
      this.pushTail(i, list);
      i = next;
    }
  }

  private grow(to = this.s.cap * 2): void {
    const cap = to;
    this.s.grow(cap);
    const cp = (a: Int32Array): Int32Array => {
      const n = new Int32Array(cap);
      n.set(a);
      return n;
    };
    this.lruPrev = cp(this.lruPrev);
    this.lruNext = cp(this.lruNext);
    const l = new Uint8Array(cap);
    l.set(this.lruList);
    this.lruList = l;
    const pm = new Uint8Array(cap);
    pm.set(this.pendingMark);
    this.pendingMark = pm;
    const pt = new Float64Array(cap);
    pt.set(this.posTs);
    this.posTs = pt;
    const sh = new Int32Array(cap);
    sh.set(this.slotH);
    this.slotH = sh;
    this.slots = new Int32Array(cap * 4);
    this.mask = cap * 2 - 1;
    for (let i = 0; i < this.top; i++) if (this.conns[i] !== null) this.placeSlot(i);
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
