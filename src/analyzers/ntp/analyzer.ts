// Per-flow NTP state: each UDP datagram is one message, emitted as an `ntp.message` event.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { NtpMessageEvent } from './events.js';
import { parseNtp } from './parse.js';

export class NtpAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseNtp(buf, off, len);
    if (typeof m === 'string') {
      ctx.weird(`ntp.${m}`);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('ntp');
    }
    const ev: NtpMessageEvent = { type: 'ntp.message', is_orig: isOrig, version: m.version, mode: m.mode, packet: ctx.packet.packetNo };
    const s = m.std;
    if (s !== undefined) {
      ev.stratum = s.stratum;
      ev.poll = Math.pow(2, s.poll);
      ev.precision = Math.pow(2, s.precision);
      ev.root_delay = s.rootDelay;
      ev.root_disp = s.rootDisp;
      ev.ref_id = s.refId;
      ev.ref_time = s.refTime;
      ev.org_time = s.orgTime;
      ev.rec_time = s.recTime;
      ev.xmt_time = s.xmtTime;
      ev.num_exts = s.numExts;
    } else if (m.control !== undefined) {
      ev.control_opcode = m.control.opcode;
      ev.is_response = m.control.response;
    } else if (m.priv !== undefined) {
      ev.private_request = m.priv.requestCode;
      ev.is_response = m.priv.response;
    }
    ctx.emit(ev);
  }
}
