// Per-flow Oracle Net (TNS) state: the client's CONNECT (its descriptor inline, or in the DATA
// packet that follows when it is long), then the listener's ACCEPT, REFUSE, REDIRECT or
// RESEND; after an ACCEPT, the Secure Network Services negotiation of the first DATA packets
// says whether Native Network Encryption protects the session (the listener's choice). The
// session itself (TTC) is not read. One oracle.log line per connection, when that is known or
// the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import type { OracleSessionEvent } from './events.js';
import {
  ANO_ENCRYPTION,
  ANO_INTEGRITY,
  ENCRYPTION_ALGORITHMS,
  INTEGRITY_ALGORITHMS,
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
  parseAno,
  parseConnect,
  parseHeader,
} from './parse.js';

const MAX_KEEP = MAX_DESCRIPTOR + 64;
/** The highest TNS packet type. */
const MAX_TNS_TYPE = 19;
/** TNS 315 (Oracle 11g) and later: after ACCEPT, packet lengths take 4 bytes. */
const VERSION_LARGE_SDU = 315;
/** DATA packets after ACCEPT searched for the security negotiation. */
const MAX_DATA_AFTER_ACCEPT = 8;
const DATA_PAYLOAD = 10;

export class OracleAnalyzer implements FlowAnalyzer {
  private readonly framers: PduFramer[];
  private ctx: AnalyzerContext | null = null;
  private rec: OracleSessionEvent | null = null;
  private awaitingDescriptor = false;
  private done = false;
  private confirmed = false;
  /** After an ACCEPT of version 315 or later, the header's length field is 32 bits. */
  private large = false;
  private accepted = false;
  private dataAfterAccept = 0;

  constructor() {
    const tnsLength = (b: Uint8Array, off: number, avail: number): number => {
      if (this.large) {
        if (avail < 4) return 0;
        const n = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
        return n >= 8 && n <= 0x200000 ? n : -1;
      }
      if (avail < 2) return 0;
      const n = (b[off] << 8) | b[off + 1];
      // The packet type (CONNECT 1 … CONTROL 14, up to 19 in newer releases): a web server's
      // "HTTP/1.0 400" answering a scanner's TNS probe reads as a long packet of type "/".
      if (avail >= 5 && (b[off + 4] < 1 || b[off + 4] > MAX_TNS_TYPE)) return -1;
      return n >= 8 ? n : -1;
    };
    const opts = { maxHeader: 4, maxKeep: MAX_KEEP, lengthOf: tnsLength };
    this.framers = [
      new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.packet(true, b, o, n) }),
      new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.packet(false, b, o, n) }),
    ];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.done) return;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('oracle.bad_framing');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers[isOrig ? 0 : 1].gap(len);
  }

  private packet(isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    if (this.done) return;
    if (this.accepted) {
      this.afterAccept(isOrig, b, off, len);
      return;
    }
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
        // The session's own packets follow: their security negotiation decides the line.
        this.rec.result = 'accepted';
        this.confirm();
        this.accepted = true;
        if (len >= 10 && ((b[off + 8] << 8) | b[off + 9]) >= VERSION_LARGE_SDU) this.large = true;
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

  /** DATA packets after ACCEPT: the client's offer and the server's choice of security services. */
  private afterAccept(isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    const r = this.rec!;
    if (++this.dataAfterAccept > MAX_DATA_AFTER_ACCEPT) {
      this.finish();
      return;
    }
    if (len < DATA_PAYLOAD || b[off + 4] !== TYPE_DATA) return;
    const services = parseAno(b, off + DATA_PAYLOAD, off + len);
    if (services === null || isOrig) return;
    for (const s of services) {
      if (s.type === ANO_ENCRYPTION && s.chosen >= 0) r.encryption = ENCRYPTION_ALGORITHMS[s.chosen] ?? String(s.chosen);
      if (s.type === ANO_INTEGRITY && s.chosen >= 0) r.integrity = INTEGRITY_ALGORITHMS[s.chosen] ?? String(s.chosen);
    }
    // A listener that answers without an encryption service encrypts nothing.
    r.encryption ??= 'none';
    this.finish();
  }

  private finish(): void {
    if (this.rec === null) return;
    this.done = true;
    this.ctx!.emit(this.rec);
    this.rec = null;
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
    this.rec!.result = result;
    this.confirm();
    this.finish();
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    if (this.confirmed) this.finish();
  }
}
