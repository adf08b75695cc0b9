// Per-flow PPTP state: frames each direction's control messages by their length field with the
// shared PduStream (bounded), reads the Start-Control-Connection and Outgoing-Call exchanges and
// emits one summary at the end. The PPP session itself (GRE) carries the MS-CHAPv2 login, which
// is not parsed.
import { FRAME_BAD, FRAME_NEED_MORE, PduStream, type PduSink } from '../framing.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { PptpSession } from './events.js';
import { CALL_RESULTS, CONTROL_RESULTS, HEADER_LEN, MAX_MESSAGE, OCRP, OCRQ, SCCRP, SCCRQ, parseMessage } from './parse.js';

export class PptpAnalyzer implements FlowAnalyzer, PduSink {
  private readonly streams = [new PduStream(MAX_MESSAGE), new PduStream(MAX_MESSAGE)];
  private readonly ev: PptpSession = { type: 'pptp.session', tsSec: 0, tsNsec: 0, calls: 0, established: false, packet: 0 };
  private started = false;
  private accepted = false;
  /** The message being delivered (PduSink.pdu). */
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    this.ctx = ctx;
    this.isOrig = isOrig;
    if (!s.feed(buf, off, len, this)) ctx.weird('pptp.bad_length');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams[isOrig ? 0 : 1].reset();
  }

  end(ctx: AnalyzerContext): void {
    if (this.started) ctx.emit(this.ev);
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    if (len < 2) return FRAME_NEED_MORE;
    const n = (buf[off] << 8) | buf[off + 1];
    return n < HEADER_LEN ? FRAME_BAD : n;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const isOrig = this.isOrig;
    const m = parseMessage(buf, off, len);
    if (m === null) {
      ctx.weird('pptp.bad_message');
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
