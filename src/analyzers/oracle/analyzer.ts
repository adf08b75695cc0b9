// Per-flow Oracle Net (TNS) state: the client's CONNECT (its descriptor inline, or in the DATA
// packet that follows when it is long), then the listener's ACCEPT, REFUSE, REDIRECT or
// RESEND. The session after ACCEPT (TTC, possibly under Native Network Encryption) is not read.
// One oracle.log line per connection, when the listener answers or the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import type { OracleSessionEvent } from './events.js';
import {
  MAX_DESCRIPTOR,
  TYPE_ACCEPT,
  TYPE_CONNECT,
  TYPE_DATA,
  TYPE_REDIRECT,
  TYPE_REFUSE,
  TYPE_RESEND,
  descriptorFields,
  isDescriptor,
  packetText,
  parseConnect,
  parseHeader,
} from './parse.js';

const MAX_KEEP = MAX_DESCRIPTOR + 64;

function tnsLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < 2) return 0;
  const n = (b[off] << 8) | b[off + 1];
  return n >= 8 ? n : -1;
}

export class OracleAnalyzer implements FlowAnalyzer {
  private readonly framers: PduFramer[];
  private ctx: AnalyzerContext | null = null;
  private rec: OracleSessionEvent | null = null;
  private awaitingDescriptor = false;
  private done = false;
  private confirmed = false;

  constructor() {
    const opts = { maxHeader: 2, maxKeep: MAX_KEEP, lengthOf: tnsLength };
    this.framers = [
      new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.packet(true, b, o, n) }),
      new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.packet(false, b, o, n) }),
    ];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.done) return;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) ctx.weird('oracle.bad_framing');
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers[isOrig ? 0 : 1].gap(len);
  }

  private packet(isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    if (this.done) return;
    const h = parseHeader(b, off, len);
    if (h === null) return;
    if (isOrig) {
      if (h.type === TYPE_CONNECT) {
        const c = parseConnect(b, off, len);
        if (c === null) {
          ctx.weird('oracle.bad_connect');
          return;
        }
        const p = ctx.packet;
        // A CONNECT resent after RESEND replaces the first: one line per connection.
        this.rec = { type: 'oracle.session', tsSec: this.rec?.tsSec ?? p.tsSec, tsNsec: this.rec?.tsNsec ?? p.tsNsec, packet: this.rec?.packet ?? p.packetNo, version: c.version };
        if (c.descriptor !== null) this.descriptor(c.descriptor);
        else this.awaitingDescriptor = true;
      } else if (h.type === TYPE_DATA && this.awaitingDescriptor) {
        this.awaitingDescriptor = false;
        const s = packetText(b, off, len, TYPE_DATA);
        if (s !== null && isDescriptor(s)) this.descriptor(s);
      }
      return;
    }
    if (this.rec === null) return;
    switch (h.type) {
      case TYPE_ACCEPT:
        this.answer('accepted');
        return;
      case TYPE_REFUSE: {
        const s = packetText(b, off, len, TYPE_REFUSE);
        if (s !== null) {
          const f = descriptorFields(s);
          if (f.error !== undefined) this.rec.error = f.error;
          if (f.server_version !== undefined) this.rec.server_version = f.server_version;
        }
        this.answer('refused');
        return;
      }
      case TYPE_REDIRECT: {
        const s = packetText(b, off, len, TYPE_REDIRECT);
        if (s !== null) {
          const f = descriptorFields(s);
          if (f.server_host !== undefined) this.rec.redirect_host = f.server_host;
          if (f.server_port !== undefined) this.rec.redirect_port = f.server_port;
        }
        this.answer('redirected');
        return;
      }
      case TYPE_RESEND:
        // The client sends its CONNECT again; the answer to that one ends the set-up.
        this.rec.result = 'resend';
        this.confirm();
        return;
    }
  }

  private descriptor(s: string): void {
    const f = descriptorFields(s);
    Object.assign(this.rec!, f);
    // A CONNECT with a real descriptor is Oracle Net beyond doubt.
    if (isDescriptor(s)) this.confirm();
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx!.confirm('oracle');
  }

  private answer(result: string): void {
    const r = this.rec!;
    r.result = result;
    this.confirm();
    this.done = true;
    this.ctx!.emit(r);
    this.rec = null;
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    if (this.rec === null || !this.confirmed) return;
    ctx.emit(this.rec);
    this.rec = null;
  }
}
