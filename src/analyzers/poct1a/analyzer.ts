// Per-flow POCT1-A state: per direction, the bytes of the message in progress (bounded), cut at
// the root element's closing tag; one event per message. A message longer than MAX_MESSAGE is
// skipped to its end; bytes that are no POCT1-A message give the flow up.
import { formatAddr } from '../../decode/packet.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { PoctMessageEvent } from './events.js';
import { MAX_MESSAGE, messageEnd, messageStart, parseMessage } from './parse.js';

/** Messages per flow reported (a device's connection can stay up for a shift). */
const MAX_MESSAGES = 100_000;

class Side {
  buf = new Uint8Array(0);
  len = 0;
  /** Root name of the message whose closing tag is awaited. */
  open = '';
  /** Where in buf the open message starts; where the closing-tag search resumes. */
  start = 0;
  scan = 0;
  /** Skipping an over-long message: its root name. */
  skipping = '';
  /** After a gap: bytes up to the next message start are dropped. */
  resync = false;

  append(b: Uint8Array, off: number, len: number): void {
    if (this.len + len > this.buf.length) {
      const n = new Uint8Array(Math.max(this.len + len, Math.min(this.buf.length * 2 || 4096, MAX_MESSAGE + 65536)));
      n.set(this.buf.subarray(0, this.len));
      this.buf = n;
    }
    this.buf.set(b.subarray(off, off + len), this.len);
    this.len += len;
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
    this.start = Math.max(0, this.start - n);
    this.scan = Math.max(0, this.scan - n);
  }
}

export class Poct1aAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private broken = false;
  private messages = 0;
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const s = this.sides[isOrig ? 0 : 1];
    s.append(buf, off, len);
    for (;;) {
      if (s.skipping !== '') {
        const e = messageEnd(s.buf, 0, s.len, s.skipping);
        if (e < 0) {
          // Keep only a tail long enough to hold the closing tag.
          if (s.len > 64) s.consume(s.len - 64);
          return;
        }
        s.consume(e);
        s.skipping = '';
        continue;
      }
      if (s.open === '' && s.resync) {
        let i = 0;
        while (i < s.len && (s.buf[i] !== 0x3c || messageStart(s.buf, i, s.len) === 'bad')) i++;
        s.consume(i);
        if (s.len === 0) return;
        s.resync = false;
      }
      if (s.open === '') {
        const st = messageStart(s.buf, 0, s.len);
        if (st === 'need_more') {
          if (s.len > 8192) this.giveUp(ctx, 'poct1a.bad_message');
          return;
        }
        if (st === 'bad') {
          this.giveUp(ctx, 'poct1a.bad_message');
          return;
        }
        s.open = st.name;
        s.start = st.at;
        s.scan = st.at;
      }
      const e = messageEnd(s.buf, s.scan, s.len, s.open);
      if (e < 0) {
        if (s.len - s.start > MAX_MESSAGE) {
          ctx.weird('poct1a.message_too_long');
          s.skipping = s.open;
          s.open = '';
          s.consume(s.len - 64);
          return;
        }
        s.scan = Math.max(s.start, s.len - s.open.length - 8);
        return;
      }
      const m = parseMessage(s.open, text(s.buf, s.start, e));
      s.open = '';
      s.consume(e);
      this.report(ctx, isOrig, m);
    }
  }

  private report(ctx: AnalyzerContext, isOrig: boolean, m: ReturnType<typeof parseMessage>): void {
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('poct1a');
    }
    if (++this.messages > MAX_MESSAGES) return;
    const c = ctx.conn;
    const sender = isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
    const ev: PoctMessageEvent = { ...m, type: 'poct1a.message', message_type: m.type, is_orig: isOrig, sender, packet: ctx.packet.packetNo };
    ctx.emit(ev);
  }

  private giveUp(ctx: AnalyzerContext, weird: string): void {
    ctx.weird(weird);
    this.broken = true;
    this.sides[0] = new Side();
    this.sides[1] = new Side();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    // XML cannot be resumed in the middle of a document: skip to the next message start.
    const s = this.sides[isOrig ? 0 : 1];
    if (s.open !== '' || s.skipping !== '') ctx.weird('poct1a.message_gap');
    const fresh = new Side();
    fresh.resync = true;
    this.sides[isOrig ? 0 : 1] = fresh;
  }
}

function text(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}
