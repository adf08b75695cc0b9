// Per-flow TeamViewer state: the service is confirmed once each side has sent a message with
// the protocol's magic (one side alone could be anything on port 5938); the session event
// then names the client, which runs TeamViewer (and the responder, when it is no TeamViewer
// router but a peer on the network, does too).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { tcpMagic, udpMagic } from './parse.js';

/** Messages looked at per side before giving up on a flow that never confirms. */
const MAX_LOOKS = 8;

export class TeamViewerAnalyzer implements FlowAnalyzer {
  private orig = false;
  private resp = false;
  private looks = 0;
  private confirmed = false;
  private packet = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.confirmed || this.looks >= MAX_LOOKS * 2) return;
    this.looks++;
    const tcp = ctx.conn.proto === 6;
    if (!(tcp ? tcpMagic(buf, off, len) : udpMagic(buf, off, len))) return;
    if (isOrig) this.orig = true;
    else this.resp = true;
    if (this.orig && this.resp) {
      this.confirmed = true;
      this.packet = ctx.packet.packetNo;
      ctx.confirm('teamviewer');
      ctx.emit({ type: 'teamviewer.session', packet: this.packet });
    }
  }
}
