// Per-flow SSDP state: each datagram is one message. The SERVER header of a NOTIFY or search
// answer names the sender's OS, UPnP version and product ("Linux/3.14 UPnP/1.0 MiniUPnPd/1.9");
// a search's USER-AGENT names the client's. Both become software events for the sender.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { parseSsdp } from './parse.js';
import type { SsdpEvent } from './events.js';

export class SsdpAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const r = parseSsdp(buf, off, len);
    if (r === 'bad') {
      ctx.weird('ssdp.bad_message');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('ssdp');
    }
    const c = ctx.conn;
    const host = isOrig ? origHost(c) : respHost(c);
    const port = isOrig ? c.oPort : c.rPort;
    const ev = r as SsdpEvent;
    ev.type = 'ssdp.message';
    ev.is_orig = isOrig;
    ev.host = host;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev);
    if (r.server !== undefined) ctx.emit({ type: 'software', host, host_p: port, software_type: 'SSDP::SERVER', unparsed_version: r.server });
    if (r.user_agent !== undefined) ctx.emit({ type: 'software', host, software_type: 'SSDP::CLIENT', unparsed_version: r.user_agent });
  }
}
