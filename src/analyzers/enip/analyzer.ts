// Per-flow EtherNet/IP state: TCP streams are framed by the encapsulation header's length
// (bounded); a UDP datagram is one encapsulation message. A ListIdentity reply also yields a
// software event for the replying device.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFlowAnalyzer } from '../framing.js';
import { origHost, respHost } from '../connid.js';
import { hexString } from '../dns/text.js';
import { ENCAP_HEADER, MAX_ENCAP_DATA, encapFrameLength, parseCipIo, parseEncap } from './parse.js';
import type { CipIoEvent, EnipEvent } from './events.js';

export class EnipAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  constructor() {
    super(ENCAP_HEADER + MAX_ENCAP_DATA, 'enip.bad_encapsulation_header');
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

/** I/O data logged per datagram (hex); data_length keeps the true length. */
export const MAX_IO_DATA = 512;

export class CipIoAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private bad = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const io = parseCipIo(buf, off, len);
    if (io === null) {
      // Once per flow: a stream of malformed datagrams is one anomaly, not thousands.
      if (!this.bad) ctx.weird('cip_io.bad_datagram');
      this.bad = true;
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('cip');
    }
    const ev: CipIoEvent = {
      type: 'enip.cip_io',
      is_orig: isOrig,
      connection_id: io.connection_id,
      sequence_number: io.sequence_number,
      data_length: io.dataLen,
      io_data: hexString(buf, io.dataOff, Math.min(io.dataLen, MAX_IO_DATA)),
      packet: ctx.packet.packetNo,
    };
    ctx.emit(ev);
  }
}
