// TCP endpoint rules with Zeek's connection semantics (states, sequence-space sizes),
// written from RFC 9293 and Zeek's documented conn.log behaviour. Endpoint fields live in the
// FlowStore at index `slot * 2 + side`; sequence numbers are kept as 32-bit values plus an
// unwrapped offset from the initial sequence number, so sizes beyond 4 GiB stay right.
import type { FlowStore } from './store.js';

export const enum Ep {
  INACTIVE = 0,
  SYN_SENT = 1,
  SYN_ACK_SENT = 2,
  PARTIAL = 3,
  ESTABLISHED = 4,
  CLOSED = 5,
  RESET = 6,
}

/** Seq deltas beyond this are not trusted on SYN/RST packets (1 MiB, as Zeek). */
export const TOO_LARGE_SEQ_DELTA = 1048576;

/** Signed 32-bit difference a - b in sequence space. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

export function setState(s: FlowStore, e: number, state: number): void {
  if (state !== s.st[e]) {
    s.prevSt[e] = s.st[e];
    s.st[e] = state;
  }
}

export function initSeq(s: FlowStore, e: number, start: number, last: number): void {
  s.startSeq[e] = start >>> 0;
  s.ackSeq[e] = start >>> 0;
  s.ackRel[e] = 0;
  s.lastSeq[e] = last >>> 0;
  s.lastRel[e] = seqDelta(last, start);
}

export function updateLastSeq(s: FlowStore, e: number, x: number): void {
  s.lastRel[e] += seqDelta(x, s.lastSeq[e]);
  s.lastSeq[e] = x >>> 0;
}

export function updateAckSeq(s: FlowStore, e: number, x: number): void {
  s.ackRel[e] += seqDelta(x, s.ackSeq[e]);
  s.ackSeq[e] = x >>> 0;
}

/** Payload bytes in sequence space (Zeek's endpoint size): SYN and FIN octets excluded. */
export function endpointSize(s: FlowStore, e: number, peer: number): number {
  if (s.prevSt[e] === Ep.SYN_SENT && s.st[e] === Ep.RESET && s.st[peer] === Ep.INACTIVE && s.ackRel[e] > 1) {
    // A half-open connection discovered and aborted: its sequence numbers mean nothing.
    return 0;
  }
  let size = s.lastRel[e] > s.ackRel[e] ? s.lastRel[e] : s.ackRel[e];
  if (size < 0) return 0;
  if (size !== 0) size--;
  if (s.finCnt[e] > 0 && size !== 0) size--;
  return size;
}
