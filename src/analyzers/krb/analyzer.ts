// Kerberos on its own transport (RFC 4120 §7.2): one message per UDP datagram, or record-marked
// messages (4-octet length) over TCP, framed by the shared PduFramer. Messages go to the
// connection's KrbSession; malformed ones become weirds.
import { PduFramer } from '../pdu-framer.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { KrbSession } from './session.js';
import { krbRecordLength, parseKrb } from './parse.js';

/** A record is kept whole up to this size (tickets with a large PAC run to tens of KB). */
const MAX_KEEP = 64 * 1024;
const RECORD_MARK = 4;
const PROTO_UDP = 17;

export class KrbAnalyzer implements FlowAnalyzer {
  private readonly session = new KrbSession();
  private framers: [PduFramer, PduFramer] | null = null;
  private ctx: AnalyzerContext | null = null;
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (ctx.conn.proto === PROTO_UDP) {
      this.message(isOrig, buf, off, len);
      return;
    }
    if (this.framers === null) {
      const opts = { maxHeader: RECORD_MARK + 1, maxKeep: MAX_KEEP, lengthOf: krbRecordLength };
      this.framers = [
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.record(true, b, o, n, t, d) }),
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.record(false, b, o, n, t, d) }),
      ];
    }
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('krb.bad_record_mark');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.framers?.[isOrig ? 0 : 1].gap(len);
  }

  end(ctx: AnalyzerContext): void {
    this.session.end(ctx);
  }

  private record(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    // A message cut by the keep limit or by a capture hole cannot be parsed as DER.
    if (len < total || damaged) {
      this.ctx!.weird(damaged ? 'krb.message_damaged' : 'krb.message_too_large');
      return;
    }
    this.message(isOrig, buf, off + RECORD_MARK, len - RECORD_MARK);
  }

  private message(isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const m = parseKrb(buf, off, len);
    if (typeof m === 'string') {
      ctx.weird(m === 'bad' ? 'krb.bad_message' : 'krb.not_kerberos');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm(ctx.conn.proto === PROTO_UDP ? 'krb' : 'krb_tcp');
    }
    this.session.message(ctx, isOrig, m);
  }
}
