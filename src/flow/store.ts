// Connection state as struct-of-arrays: one typed array per field, indexed by a connection's
// slot. A million connections cost a few hundred bytes each and nothing for the garbage
// collector to trace, where one object per connection and endpoint cost over a kilobyte.
// TCP endpoint fields are indexed by `slot * 2 + side` (0 originator, 1 responder).

/** Bytes of history kept per connection (Zeek's history letters). */
export const HIST_MAX = 32;

export const F_FLIPPED = 1;
export const F_PARTIAL = 2;
export const F_SEEN_ORIG = 4;
export const F_SEEN_RESP = 8;
export const F_HANDSHAKE_DONE = 16;
export const F_EVICTED = 32;
/**
 * The originator's first segment carried none of SYN, ACK and RST: no TCP stack sends one (every
 * segment but the first SYN carries ACK, RFC 9293 §3.10.7.4), a scanner's FIN, NULL or Xmas probe does.
 */
export const F_STEALTH = 64;
/** A service was recognised off its analyzer's well-known ports (by probing the payload). */
export const F_OFF_PORT = 128;

export class FlowStore {
  cap: number;
  proto!: Uint8Array;
  /** o0..o3, r0..r3 per slot. */
  addr!: Uint32Array;
  oPort!: Uint16Array;
  rPort!: Uint16Array;
  startSec!: Uint32Array;
  startNsec!: Uint32Array;
  lastSec!: Uint32Array;
  lastNsec!: Uint32Array;
  lastTs!: Float64Array;
  seenTs!: Float64Array;
  closeAt!: Float64Array;
  attemptAt!: Float64Array;
  /** [orig, resp] per slot. */
  pkts!: Uint32Array;
  ipBytes!: Float64Array;
  frameBytes!: Float64Array;
  payBytes!: Float64Array;
  mac!: Float64Array;
  histSeen!: Int32Array;
  hist!: Uint8Array;
  histLen!: Uint8Array;
  flags!: Uint8Array;
  serial!: Float64Array;
  vlan!: Int16Array;
  vlanInner!: Int16Array;
  fileIndex!: Uint16Array;
  firstPacket!: Float64Array;
  // TCP endpoints (2 per slot)
  st!: Uint8Array;
  prevSt!: Uint8Array;
  startSeq!: Uint32Array;
  lastSeq!: Uint32Array;
  ackSeq!: Uint32Array;
  lastRel!: Float64Array;
  ackRel!: Float64Array;
  finRel!: Float64Array;
  nextRel!: Float64Array;
  missed!: Float64Array;
  finCnt!: Uint32Array;
  rstCnt!: Uint32Array;
  didClose!: Uint8Array;
  hLastSyn!: Float64Array;
  hLastFin!: Float64Array;
  hLastRst!: Float64Array;
  rxCnt!: Uint32Array;
  rxTh!: Uint32Array;
  w0Cnt!: Uint32Array;
  w0Th!: Uint32Array;
  gCnt!: Uint32Array;
  gTh!: Uint32Array;
  /** Out-of-order ranges beyond nextRel per endpoint, only for the few that have any. */
  readonly holes = new Map<number, number[]>();
  /** 1 where `holes` has an entry for the endpoint: a byte test instead of a map probe per packet. */
  hasHoles!: Uint8Array;

  /** An endpoint's out-of-order ranges, if it has any (the byte is tested before the map). */
  holesOf(ep: number): number[] | undefined {
    return this.hasHoles[ep] !== 0 ? this.holes.get(ep) : undefined;
  }

  /** An endpoint's list of ranges, made when it gets its first. */
  holesFor(ep: number): number[] {
    let h = this.holesOf(ep);
    if (h === undefined) {
      h = [];
      this.holes.set(ep, h);
      this.hasHoles[ep] = 1;
    }
    return h;
  }

  /** Forgets an endpoint's ranges. */
  dropHoles(ep: number): void {
    if (this.hasHoles[ep] === 0) return;
    this.holes.delete(ep);
    this.hasHoles[ep] = 0;
  }

  constructor(cap: number) {
    this.cap = cap;
    this.alloc(cap, null);
  }

  private alloc(n: number, old: FlowStore | null): void {
    const e = n * 2;
    const mk = <T extends { set(a: ArrayLike<number>): void }>(Ctor: new (len: number) => T, len: number, prev: T | undefined): T => {
      const a = new Ctor(len);
      if (prev !== undefined) a.set(prev as unknown as ArrayLike<number>);
      return a;
    };
    const o = old;
    this.proto = mk(Uint8Array, n, o?.proto);
    this.addr = mk(Uint32Array, n * 8, o?.addr);
    this.oPort = mk(Uint16Array, n, o?.oPort);
    this.rPort = mk(Uint16Array, n, o?.rPort);
    this.startSec = mk(Uint32Array, n, o?.startSec);
    this.startNsec = mk(Uint32Array, n, o?.startNsec);
    this.lastSec = mk(Uint32Array, n, o?.lastSec);
    this.lastNsec = mk(Uint32Array, n, o?.lastNsec);
    this.lastTs = mk(Float64Array, n, o?.lastTs);
    this.seenTs = mk(Float64Array, n, o?.seenTs);
    this.closeAt = mk(Float64Array, n, o?.closeAt);
    this.attemptAt = mk(Float64Array, n, o?.attemptAt);
    this.pkts = mk(Uint32Array, e, o?.pkts);
    this.ipBytes = mk(Float64Array, e, o?.ipBytes);
    this.frameBytes = mk(Float64Array, e, o?.frameBytes);
    this.payBytes = mk(Float64Array, e, o?.payBytes);
    this.mac = mk(Float64Array, e, o?.mac);
    this.histSeen = mk(Int32Array, n, o?.histSeen);
    this.hist = mk(Uint8Array, n * HIST_MAX, o?.hist);
    this.histLen = mk(Uint8Array, n, o?.histLen);
    this.flags = mk(Uint8Array, n, o?.flags);
    this.serial = mk(Float64Array, n, o?.serial);
    this.vlan = mk(Int16Array, n, o?.vlan);
    this.vlanInner = mk(Int16Array, n, o?.vlanInner);
    this.fileIndex = mk(Uint16Array, n, o?.fileIndex);
    this.firstPacket = mk(Float64Array, n, o?.firstPacket);
    this.st = mk(Uint8Array, e, o?.st);
    this.prevSt = mk(Uint8Array, e, o?.prevSt);
    this.startSeq = mk(Uint32Array, e, o?.startSeq);
    this.lastSeq = mk(Uint32Array, e, o?.lastSeq);
    this.ackSeq = mk(Uint32Array, e, o?.ackSeq);
    this.lastRel = mk(Float64Array, e, o?.lastRel);
    this.ackRel = mk(Float64Array, e, o?.ackRel);
    this.finRel = mk(Float64Array, e, o?.finRel);
    this.nextRel = mk(Float64Array, e, o?.nextRel);
    this.missed = mk(Float64Array, e, o?.missed);
    this.finCnt = mk(Uint32Array, e, o?.finCnt);
    this.rstCnt = mk(Uint32Array, e, o?.rstCnt);
    this.didClose = mk(Uint8Array, e, o?.didClose);
    this.hLastSyn = mk(Float64Array, e, o?.hLastSyn);
    this.hLastFin = mk(Float64Array, e, o?.hLastFin);
    this.hLastRst = mk(Float64Array, e, o?.hLastRst);
    this.rxCnt = mk(Uint32Array, e, o?.rxCnt);
    this.rxTh = mk(Uint32Array, e, o?.rxTh);
    this.w0Cnt = mk(Uint32Array, e, o?.w0Cnt);
    this.w0Th = mk(Uint32Array, e, o?.w0Th);
    this.gCnt = mk(Uint32Array, e, o?.gCnt);
    this.gTh = mk(Uint32Array, e, o?.gTh);
    this.hasHoles = mk(Uint8Array, e, o?.hasHoles);
  }

  /** Empties the store at capacity `n` (new arrays: the old ones' memory can be returned). */
  reset(n: number): void {
    this.cap = n;
    this.alloc(n, null);
    this.holes.clear();
  }

  grow(n: number): void {
    const old = Object.assign(Object.create(FlowStore.prototype) as FlowStore, this);
    this.cap = n;
    this.alloc(n, old);
  }

  /**
   * Resets a slot to a new connection's initial state. The tuple, times and identity fields are
   * not cleared: FlowTable.create() writes every one of them right after.
   */
  clear(i: number): void {
    this.closeAt[i] = 0;
    this.attemptAt[i] = 0;
    const e = i * 2;
    for (let k = e; k < e + 2; k++) {
      this.pkts[k] = 0;
      this.ipBytes[k] = 0;
      this.frameBytes[k] = 0;
      this.payBytes[k] = 0;
      this.mac[k] = 0;
      this.st[k] = 0;
      this.prevSt[k] = 0;
      this.startSeq[k] = 0;
      this.lastSeq[k] = 0;
      this.ackSeq[k] = 0;
      this.lastRel[k] = 0;
      this.ackRel[k] = 0;
      this.finRel[k] = 0;
      this.nextRel[k] = 1;
      this.missed[k] = 0;
      this.finCnt[k] = 0;
      this.rstCnt[k] = 0;
      this.didClose[k] = 0;
      this.hLastSyn[k] = -1;
      this.hLastFin[k] = -1;
      this.hLastRst[k] = -1;
      this.rxCnt[k] = 0;
      this.rxTh[k] = 1;
      this.w0Cnt[k] = 0;
      this.w0Th[k] = 1;
      this.gCnt[k] = 0;
      this.gTh[k] = 1;
      this.dropHoles(k);
    }
    this.histSeen[i] = 0;
    this.histLen[i] = 0;
    this.flags[i] = 0;
    this.vlan[i] = -1;
    this.vlanInner[i] = -1;
  }

  /** Copies slot `i` of `src` into slot `j` of this store. */
  copySlot(src: FlowStore, i: number, j: number): void {
    for (const k of Object.keys(this) as (keyof FlowStore)[]) {
      const a = this[k] as unknown;
      const b = src[k] as unknown;
      if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) continue;
      const ta = a as unknown as Float64Array;
      const tb = b as unknown as Float64Array;
      const per = tb.length / src.cap;
      for (let x = 0; x < per; x++) ta[j * per + x] = tb[i * per + x];
    }
    for (let s = 0; s < 2; s++) {
      const h = src.holes.get(i * 2 + s);
      if (h !== undefined) this.holes.set(j * 2 + s, h.slice());
    }
  }
}
