// Per-flow DNSCrypt state: counts the client's queries and the resolver's responses (one per
// datagram over UDP; length-framed over TCP, where only each message's header is looked at and
// the rest passed over) and keeps the client magic of the first query. A flow is recognised by
// the resolver's first response: over UDP the query before it was not delivered, but a resolver
// speaks only when asked, so that response counts the query it answers.
import { MessageReader, type MessageSink } from '../message-reader.js';
import { u16 } from '../dns/text.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { DnscryptSession } from './events.js';
import { MESSAGE_MAX, QUERY_MIN, RESPONSE_MIN, clientMagic, isResponse } from './parse.js';

export class DnscryptAnalyzer implements FlowAnalyzer, MessageSink {
  private queries = 0;
  private responses = 0;
  private magic: string | undefined = undefined;
  private started = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packetNo = 0;
  /** TCP only: each direction's framing. */
  private readers: [MessageReader, MessageReader] | null = null;
  private ctx: AnalyzerContext | null = null;
  private side = true;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto === 17) {
      this.message(ctx, isOrig, buf, off, len);
      return;
    }
    this.readers ??= [new MessageReader(), new MessageReader()];
    this.ctx = ctx;
    this.side = isOrig;
    this.readers[isOrig ? 0 : 1].feed(buf, off, len, this);
    this.ctx = null;
  }

  /** TCP: one length-framed message (its header only; the box is passed over). */
  readMessage(b: Uint8Array, o: number, end: number): number {
    if (end - o < 2) return 0;
    const n = u16(b, o);
    const want = this.side ? QUERY_MIN : RESPONSE_MIN;
    if (n < want || n > MESSAGE_MAX) {
      this.ctx!.weird('dnscrypt.bad_length');
      return -1;
    }
    if (end - o < 2 + want) return 0;
    this.message(this.ctx!, this.side, b, o + 2, Math.min(n, end - o - 2));
    const used = Math.min(2 + n, end - o);
    this.readers![this.side ? 0 : 1].skip = 2 + n - used;
    return used;
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // Message boundaries are lost with the bytes: this direction is not read further.
    this.readers?.[isOrig ? 0 : 1].stop();
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    if (!this.started) {
      this.started = true;
      this.tsSec = ctx.packet.tsSec;
      this.tsNsec = ctx.packet.tsNsec;
      this.packetNo = ctx.packet.packetNo;
    }
    if (isOrig) {
      if (len < QUERY_MIN) {
        ctx.weird('dnscrypt.short_query');
        return;
      }
      this.queries++;
      this.magic ??= clientMagic(b, off);
      return;
    }
    if (!isResponse(b, off, len)) {
      ctx.weird('dnscrypt.bad_response');
      return;
    }
    // The first response answers a query, delivered or not (see above).
    if (this.responses++ === 0 && this.queries === 0) this.queries = 1;
    ctx.confirm('dnscrypt');
  }

  end(ctx: AnalyzerContext): void {
    if (!this.started) return;
    const ev: DnscryptSession = {
      type: 'dnscrypt.session',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      packet: this.packetNo,
      queries: this.queries,
      responses: this.responses,
    };
    if (this.magic !== undefined) ev.client_magic = this.magic;
    ctx.emit(ev);
  }
}
