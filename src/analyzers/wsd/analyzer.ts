// Per-flow WS-Discovery state: SOAP-over-UDP carries one envelope per datagram (SOAP-over-UDP
// 1.1 §4), so there is none beyond confirming the service once. Retransmissions (the same
// MessageID up to MULTICAST_UDP_REPEAT times, SOAP-over-UDP 1.1 §3.4) are logged as sent, as Zeek logs DNS
// retransmissions.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { parseWsd } from './parse.js';
import { emitWsd } from './tap.js';

export class WsdAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const r = parseWsd(buf, off, len);
    if (r === 'bad' || r === 'not_soap') {
      ctx.weird('wsd.bad_message');
      return;
    }
    if (r === 'other') {
      ctx.weird('wsd.unknown_action');
      return;
    }
    if (r.truncated) ctx.weird('wsd.truncated_message');
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('wsd');
    }
    emitWsd(ctx, r.messages, isOrig);
  }
}
