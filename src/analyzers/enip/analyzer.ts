// Per-flow EtherNet/IP state: TCP streams are framed by the encapsulation header's length
// (bounded); a UDP datagram is one encapsulation message. A ListIdentity reply also yields a
// software event for the replying device.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduStream, type PduSink } from '../framing.js';
import { origHost, respHost } from '../connid.js';
import { ENCAP_HEADER, MAX_ENCAP_DATA, encapFrameLength, parseEncap } from './parse.js';
import type { EnipEvent } from './events.js';

export class EnipAnalyzer implements FlowAnalyzer, PduSink {
  private readonly streams = [new PduStream(ENCAP_HEADER + MAX_ENCAP_DATA), new PduStream(ENCAP_HEADER + MAX_ENCAP_DATA)];
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.isOrig = isOrig;
    if (ctx.conn.proto !== 6) {
      this.pdu(buf, off, len);
      return;
    }
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    if (!s.feed(buf, off, len, this)) ctx.weird('enip.bad_encapsulation_header');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams[isOrig ? 0 : 1].reset();
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    return encapFrameLength(buf, off, len);
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const r = parseEncap(buf, off, len);
    if (r === 'bad') {
      ctx.weird('enip.bad_encapsulation');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('enip');
    }
    const ev = r as EnipEvent;
    ev.type = 'enip.message';
    ev.is_orig = this.isOrig;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev);
    if (r.identities === undefined) return;
    const host = this.isOrig ? origHost(ctx.conn) : respHost(ctx.conn);
    const port = this.isOrig ? ctx.conn.oPort : ctx.conn.rPort;
    for (const id of r.identities) {
      if (id.product_name === '') continue;
      ctx.emit({ type: 'software', host, host_p: port, software_type: 'ENIP::DEVICE', unparsed_version: `${id.product_name} ${id.revision}` });
    }
  }
}
