// TCP endpoint tracking with Zeek's connection semantics (states, sequence-space sizes,
// history letters), written from RFC 9293 and Zeek's documented conn.log behaviour.
// Sequence numbers are kept as 32-bit values plus an unwrapped offset from the initial
// sequence number, so sizes beyond 4 GiB stay right.

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

export class TcpEndpoint {
  state: number = Ep.INACTIVE;
  prevState: number = Ep.INACTIVE;
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
  /** lastSeq and ackSeq unwrapped, relative to startSeq. */
  lastRel = 0;
  ackRel = 0;
  finCnt = 0;
  rstCnt = 0;
  finRel = 0;
  didClose = false;
  histLastSyn = -1;
  histLastFin = -1;
  histLastRst = -1;
  rxmtCnt = 0;
  rxmtThresh = 1;
  win0Cnt = 0;
  win0Thresh = 1;
  gapCnt = 0;
  gapThresh = 1;
  /** Contiguous relative sequence point up to which data was seen (first data byte is 1). */
  nextRel = 1;
  /** Out-of-order data ranges seen beyond nextRel: [start, end) pairs, sorted, bounded. */
  holes: number[] = [];
  missedBytes = 0;
  /** Bytes of payload seen (for the stream consumer's own accounting). */
  dataBytes = 0;
  isOrig: boolean;

  constructor(isOrig: boolean) {
    this.isOrig = isOrig;
  }

  setState(s: number): void {
    if (s !== this.state) {
      this.prevState = this.state;
      this.state = s;
    }
  }

  initSeq(start: number, last: number): void {
    this.startSeq = start >>> 0;
    this.ackSeq = start >>> 0;
    this.ackRel = 0;
    this.lastSeq = last >>> 0;
    this.lastRel = seqDelta(last, start);
  }

  updateLastSeq(x: number): void {
    this.lastRel += seqDelta(x, this.lastSeq);
    this.lastSeq = x >>> 0;
  }

  updateAckSeq(x: number): void {
    this.ackRel += seqDelta(x, this.ackSeq);
    this.ackSeq = x >>> 0;
  }

  /** Relative position of a sequence number, unwrapped near lastSeq. */
  relOf(seq: number): number {
    return this.lastRel + seqDelta(seq, this.lastSeq);
  }

  /** Relative position of an acknowledgement number, unwrapped near ackSeq. */
  relOfAck(ack: number): number {
    return this.ackRel + seqDelta(ack, this.ackSeq);
  }

  /** Payload bytes in sequence space (Zeek's endpoint size): SYN and FIN octets excluded. */
  size(peer: TcpEndpoint): number {
    if (this.prevState === Ep.SYN_SENT && this.state === Ep.RESET && peer.state === Ep.INACTIVE && this.ackRel > 1) {
      // A half-open connection discovered and aborted: its sequence numbers mean nothing.
      return 0;
    }
    let size = this.lastRel > this.ackRel ? this.lastRel : this.ackRel;
    if (size < 0) return 0;
    if (size !== 0) size--;
    if (this.finCnt > 0 && size !== 0) size--;
    return size;
  }
}
