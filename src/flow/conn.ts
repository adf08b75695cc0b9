// A connection handle: a slot in the flow table's FlowStore plus the few per-connection things
// that are not numbers (analyzer state, service, uid). Readers use the getters; the flow table
// writes the store's arrays directly. A handle kept after its connection ended must be
// detach()ed first, since the slot is reused.
import { FlowStore, F_EVICTED, F_FLIPPED, F_HANDSHAKE_DONE, F_OFF_PORT, F_PARTIAL, F_STEALTH, HIST_MAX } from './store.js';
import { endpointSize } from './tcp.js';
import { historyString } from './connlog.js';

export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMP = 1;
export const PROTO_ICMP6 = 58;

// History bits (Zeek's HIST_*); the responder's are shifted left by 16.
export const H_SYN = 0x1;
export const H_FIN = 0x2;
export const H_RST = 0x4;
export const H_FIN_RST = 0x8;
export const H_DATA = 0x10;
export const H_ACK = 0x20;
export const H_MULTI = 0x40;
export const H_UDP_DATA = 0x80;

export class Conn {
  /** Analyzer state attached by the analyzer layer (opaque here). */
  app: unknown = null;
  service = '';
  uid = '';

  constructor(
    public store: FlowStore,
    public idx: number,
  ) {}

  /** Ready for the next connection in the same slot (the flow table reuses handles). */
  reset(): void {
    this.app = null;
    this.service = '';
    this.uid = '';
  }

  /** Copies the connection out of the shared table so the handle stays valid after it ends. */
  detach(): void {
    const s = new FlowStore(1);
    s.copySlot(this.store, this.idx, 0);
    this.store = s;
    this.idx = 0;
  }

  get proto(): number { return this.store.proto[this.idx]; }
  get o0(): number { return this.store.addr[this.idx * 8]; }
  get o1(): number { return this.store.addr[this.idx * 8 + 1]; }
  get o2(): number { return this.store.addr[this.idx * 8 + 2]; }
  get o3(): number { return this.store.addr[this.idx * 8 + 3]; }
  get r0(): number { return this.store.addr[this.idx * 8 + 4]; }
  get r1(): number { return this.store.addr[this.idx * 8 + 5]; }
  get r2(): number { return this.store.addr[this.idx * 8 + 6]; }
  get r3(): number { return this.store.addr[this.idx * 8 + 7]; }
  get oPort(): number { return this.store.oPort[this.idx]; }
  get rPort(): number { return this.store.rPort[this.idx]; }
  get startSec(): number { return this.store.startSec[this.idx]; }
  get startNsec(): number { return this.store.startNsec[this.idx]; }
  get lastSec(): number { return this.store.lastSec[this.idx]; }
  get lastNsec(): number { return this.store.lastNsec[this.idx]; }
  get lastTs(): number { return this.store.lastTs[this.idx]; }
  get serial(): number { return this.store.serial[this.idx]; }
  get origPkts(): number { return this.store.pkts[this.idx * 2]; }
  get respPkts(): number { return this.store.pkts[this.idx * 2 + 1]; }
  get origIpBytes(): number { return this.store.ipBytes[this.idx * 2]; }
  get respIpBytes(): number { return this.store.ipBytes[this.idx * 2 + 1]; }
  get origFrameBytes(): number { return this.store.frameBytes[this.idx * 2]; }
  get respFrameBytes(): number { return this.store.frameBytes[this.idx * 2 + 1]; }
  get origMac(): number { return this.store.mac[this.idx * 2]; }
  get respMac(): number { return this.store.mac[this.idx * 2 + 1]; }
  get vlan(): number { return this.store.vlan[this.idx]; }
  get vlanInner(): number { return this.store.vlanInner[this.idx]; }
  get fileIndex(): number { return this.store.fileIndex[this.idx]; }
  get firstPacket(): number { return this.store.firstPacket[this.idx]; }
  get flipped(): boolean { return (this.store.flags[this.idx] & F_FLIPPED) !== 0; }
  get partial(): boolean { return (this.store.flags[this.idx] & F_PARTIAL) !== 0; }
  /** TCP: the originator opened with a segment without SYN, ACK or RST (a FIN, NULL or Xmas probe; F_STEALTH). */
  get stealth(): boolean { return (this.store.flags[this.idx] & F_STEALTH) !== 0; }
  /** A service of this connection was recognised off its analyzer's well-known ports (F_OFF_PORT). */
  get offPort(): boolean { return (this.store.flags[this.idx] & F_OFF_PORT) !== 0; }
  markOffPort(): void {
    this.store.flags[this.idx] |= F_OFF_PORT;
  }
  get handshakeDone(): boolean { return (this.store.flags[this.idx] & F_HANDSHAKE_DONE) !== 0; }
  get evicted(): boolean { return (this.store.flags[this.idx] & F_EVICTED) !== 0; }
  /**
   * A bare TCP attempt: opened by a SYN (not joined mid-way), no payload, and nothing came back
   * (no SYN+ACK, no reset). What a flood's forged sources and probes into empty space send: the
   * inventory, the assessment and the monitor's baselines make no host of such a sender alone.
   */
  get bareAttempt(): boolean { return this.proto === PROTO_TCP && !this.partial && this.respPkts === 0 && this.origBytes === 0; }

  /** Zeek's history string. */
  get history(): string {
    const s = this.store;
    const n = s.histLen[this.idx];
    return n === 0 ? '' : historyString(s.hist, this.idx * HIST_MAX, n);
  }

  /** TCP endpoint state (Ep) of the originator (side 0) or responder (side 1). */
  tcpState(side: number): number {
    return this.store.st[this.idx * 2 + side];
  }

  /** Payload bytes: TCP from sequence space (Zeek's endpoint size), else summed payloads. */
  bytes(side: number): number {
    if (this.proto === PROTO_TCP) return endpointSize(this.store, this.idx * 2 + side, this.idx * 2 + (1 - side));
    return this.store.payBytes[this.idx * 2 + side];
  }

  get origBytes(): number { return this.bytes(0); }
  get respBytes(): number { return this.bytes(1); }

  /** Bytes lost in content gaps, both directions (conn.log missed_bytes). */
  get missedBytes(): number {
    return this.proto === PROTO_TCP ? this.store.missed[this.idx * 2] + this.store.missed[this.idx * 2 + 1] : 0;
  }

  isV4(): boolean {
    return this.o0 === 0 && this.o1 === 0 && this.o2 === 0xffff;
  }
}
