// One connection (Zeek's "connection"): the 5-tuple, counters, TCP endpoints and history.
// Fixed shape: every field is set in the constructor and reset in `init`.
import { TcpEndpoint } from './tcp.js';

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
  /** Slot in the flow table's arrays; -1 when not in a table. */
  idx = -1;
  /** Creation order across the whole run: the basis of the deterministic uid. */
  serial = 0;
  proto = 0;
  // Originator and responder address words and ports.
  o0 = 0; o1 = 0; o2 = 0; o3 = 0;
  r0 = 0; r1 = 0; r2 = 0; r3 = 0;
  oPort = 0;
  rPort = 0;
  /** ICMP: the key ports are (type, counterpart); one-way types never pair up. */
  startSec = 0;
  startNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  lastTs = 0;
  /** Network time of the last packet seen at all (for LRU and sweeping). */
  seenTs = 0;
  origPkts = 0;
  respPkts = 0;
  origIpBytes = 0;
  respIpBytes = 0;
  /** Captured frame bytes per direction (wire length), as tshark's conversation tables count. */
  origFrameBytes = 0;
  respFrameBytes = 0;
  /** UDP/ICMP payload bytes (TCP sizes come from sequence space). */
  origBytes = 0;
  respBytes = 0;
  histSeen = 0;
  history = '';
  flipped = false;
  /** Zeek's is_partial: the connection did not start with a clean SYN from the originator. */
  partial = false;
  seenOrigFirst = false;
  seenRespFirst = false;
  tcpO: TcpEndpoint | null = null;
  tcpR: TcpEndpoint | null = null;
  /** Deadlines, in network time (0 = none). */
  attemptAt = 0;
  closeAt = 0;
  /** TCP: inactivity timeout switches from 60 s to 300 s once the handshake is over. */
  handshakeDone = false;
  service = '';
  origMac = 0;
  respMac = 0;
  vlan = -1;
  vlanInner = -1;
  fileIndex = 0;
  firstPacket = 0;
  /** Analyzer state attached by the analyzer layer (opaque here). */
  app: unknown = null;
  evicted = false;
  uid = '';

  addHistory(c: string): void {
    if (this.history.length < 256) this.history += c;
  }

  /** Adds the letter the first time `mask` is seen; returns true if it had been seen before. */
  checkHistory(mask: number, c: string): boolean {
    if ((this.histSeen & mask) === 0) {
      this.histSeen |= mask;
      this.addHistory(c);
      return false;
    }
    return true;
  }

  isV4(): boolean {
    return this.o0 === 0 && this.o1 === 0 && this.o2 === 0xffff;
  }
}
