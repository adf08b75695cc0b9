// Per-flow PPTP state: frames each direction's control messages by their length field (bounded),
// reads the Start-Control-Connection and Outgoing-Call exchanges and emits one summary at the
// end. The PPP session itself (GRE) carries the MS-CHAPv2 login, which is not parsed.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { PptpSession } from './events.js';
import { CALL_RESULTS, CONTROL_RESULTS, MAX_MESSAGE, OCRP, OCRQ, SCCRP, SCCRQ, parseMessage } from './parse.js';

class Side {
  buf = new Uint8Array(MAX_MESSAGE);
  len = 0;
}

export class PptpAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private readonly ev: PptpSession = { type: 'pptp.session', tsSec: 0, tsNsec: 0, calls: 0, established: false, packet: 0 };
  private started = false;
  private accepted = false;
  private broken = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    let p = off;
    const end = off + len;
    while (p < end && !this.broken) {
      // Gather the 2-byte length, then the whole message, in the side's buffer.
      const need = s.len < 2 ? 2 : (s.buf[0] << 8) | s.buf[1];
      if (s.len >= 2 && (need < 12 || need > MAX_MESSAGE)) {
        ctx.weird('pptp.bad_length');
        this.broken = true;
        return;
      }
      const n = Math.min(need - s.len, end - p);
      s.buf.set(buf.subarray(p, p + n), s.len);
      s.len += n;
      p += n;
      if (s.len < 2 || s.len < ((s.buf[0] << 8) | s.buf[1])) continue;
      this.message(ctx, isOrig, s.buf, s.len);
      s.len = 0;
    }
  }

  gap(): void {
    this.broken = true; // no marker to find the next message's length again
  }

  end(ctx: AnalyzerContext): void {
    if (this.started) ctx.emit(this.ev);
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, len: number): void {
    const m = parseMessage(b, 0, len);
    if (m === null) {
      ctx.weird('pptp.bad_message');
      this.broken = true;
      return;
    }
    const ev = this.ev;
    if (!this.started) {
      this.started = true;
      ev.tsSec = ctx.packet.tsSec;
      ev.tsNsec = ctx.packet.tsNsec;
      ev.packet = ctx.packet.packetNo;
      ctx.confirm('pptp');
    }
    if (m.type === SCCRQ && isOrig) {
      ev.version = m.version;
      ev.client_hostname = m.hostname;
      ev.client_vendor = m.vendor;
    } else if (m.type === SCCRP && !isOrig) {
      ev.server_hostname = m.hostname;
      ev.server_vendor = m.vendor;
      ev.control_result = CONTROL_RESULTS[m.result!] ?? String(m.result);
      this.accepted = m.result === 1;
    } else if (m.type === OCRQ && isOrig) ev.calls++;
    else if (m.type === OCRP && !isOrig && ev.call_result === undefined) {
      ev.call_result = CALL_RESULTS[m.result!] ?? String(m.result);
      if (this.accepted && m.result === 1) ev.established = true;
    }
  }
}
