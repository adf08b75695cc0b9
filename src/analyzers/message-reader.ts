// One direction of a TCP stream of messages read header by header (Bitcoin's, BitTorrent's peer
// wire): the reader hands each message's start to the protocol, which says how many bytes it
// used and may leave a payload it does not need in `skip`, to be passed over without being
// buffered (blocks and pieces run to megabytes). A message cut by a segment boundary is carried
// to the next delivery; the protocol bounds what it asks to be carried by refusing (returning -1)
// a message longer than it keeps.

/** The protocol side of a reader (an object, not closures: this runs for every segment). */
export interface MessageSink {
  /**
   * Reads the message at `o` (stream bytes up to `end`): the bytes used (a payload to pass over
   * left in the reader's `skip`), 0 to wait for more bytes, -1 to stop reading this direction.
   * `fromCarry`: the message began in an earlier delivery.
   */
  readMessage(b: Uint8Array, o: number, end: number, fromCarry: boolean): number;
  /** A message starts to be carried (not one carried already), for protocols that date a message by where it began. */
  carrying?(): void;
}

export class MessageReader {
  carry: Uint8Array | null = null;
  skip = 0;
  broken = false;

  /** Feeds one delivery. */
  feed(buf: Uint8Array, off: number, len: number, sink: MessageSink): void {
    if (this.broken) return;
    let o = off;
    let end = off + len;
    if (this.skip > 0) {
      const n = Math.min(this.skip, len);
      this.skip -= n;
      o += n;
      if (o >= end) return;
    }
    let b = buf;
    let carried = false;
    if (this.carry !== null) {
      carried = true;
      const c = this.carry;
      b = new Uint8Array(c.length + (end - o));
      b.set(c, 0);
      b.set(buf.subarray(o, end), c.length);
      o = 0;
      end = b.length;
      this.carry = null;
    }
    while (o < end && !this.broken) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - o);
        this.skip -= n;
        o += n;
        continue;
      }
      const fromCarry = carried && o === 0;
      const used = sink.readMessage(b, o, end, fromCarry);
      if (used < 0) {
        this.stop();
        return;
      }
      if (used === 0) {
        if (!fromCarry) sink.carrying?.();
        this.carry = b.slice(o, end);
        return;
      }
      o += used;
    }
  }

  /** Stops reading (a gap lost the message boundaries, or the stream is not the protocol). */
  stop(): void {
    this.carry = null;
    this.broken = true;
  }
}
