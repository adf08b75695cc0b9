// Per-flow NetBIOS datagram state: each UDP datagram is one message (RFC 1002 §4.4); it is
// parsed and emitted as a `netbios.datagram` event (host names for the inventory).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { NetbiosDatagramEvent } from './events.js';
import { parseNbDatagram } from './parse.js';

export class NbDatagramAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, _isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const d = parseNbDatagram(buf, off, len);
    if (typeof d === 'string') {
      ctx.weird(`netbios_dgm.${d}`);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('netbios-dgm');
    }
    const ev: NetbiosDatagramEvent = { type: 'netbios.datagram', host: d.sourceIp, msg_type: d.msgType, packet: ctx.packet.packetNo };
    if (d.source !== undefined) {
      ev.source_name = d.source.name;
      ev.source_suffix = d.source.suffix;
    }
    if (d.destination !== undefined) {
      ev.dest_name = d.destination.name;
      ev.dest_suffix = d.destination.suffix;
    }
    if (d.mailslot !== undefined) ev.mailslot = d.mailslot;
    if (d.browserOpcode !== undefined) ev.browser_opcode = d.browserOpcode;
    const a = d.announcement;
    if (a !== undefined) {
      ev.server_name = a.server_name;
      ev.os_major = a.os_major;
      ev.os_minor = a.os_minor;
      ev.server_type = a.server_type;
      ev.comment = a.comment;
    }
    ctx.emit(ev);
  }
}
