// Per-flow BACnet/IP state: every datagram is one BVLL message; a flow is confirmed as bacnet
// once a datagram parses, and a parse failure is a weird.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { parseBacnetIp } from './parse.js';
import { secretDigest } from '../secret.js';
import type { BacnetApdu } from './events.js';

export class BacnetAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const r = parseBacnetIp(buf, off, len);
    if (r === 'bad') {
      ctx.weird('bacnet.bad_bvll');
      return;
    }
    if (((buf[off + 2] << 8) | buf[off + 3]) !== len) ctx.weird('bacnet.bvlc_length_mismatch');
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('bacnet');
    }
    const ev = r as BacnetApdu;
    if (r.password !== undefined) {
      // The password itself never leaves the parser: a keyed digest for the default-credential
      // check, and the fact that one was sent.
      ev.secret = secretDigest(r.password);
      ev.password_sent = true;
      delete ev.password;
    }
    ev.type = 'bacnet.message';
    ev.is_orig = isOrig;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev);
  }
}
