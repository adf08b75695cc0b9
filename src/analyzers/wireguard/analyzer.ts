// Per-flow WireGuard state: counts the handshake and transport messages of each direction and
// tells an established tunnel (a response naming an initiation's sender index, or transport data
// both ways for one caught mid-way) from attempts. Everything after the headers is encrypted.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { WireguardSession } from './events.js';
import { MSG_COOKIE_REPLY, MSG_INITIATION, MSG_RESPONSE, parseMessage } from './parse.js';

/** Initiator indexes remembered per flow (a rekey every two minutes adds one). */
const MAX_INDEXES = 64;

export class WireguardAnalyzer implements FlowAnalyzer {
  private readonly initiators: number[] = [];
  private initiations = 0;
  private responses = 0;
  private cookieReplies = 0;
  private readonly transport = [0, 0];
  private answered = false;
  private started = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packetNo = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseMessage(buf, off, len);
    if (m === null) {
      ctx.weird('wireguard.bad_message');
      return;
    }
    if (!this.started) {
      this.started = true;
      this.tsSec = ctx.packet.tsSec;
      this.tsNsec = ctx.packet.tsNsec;
      this.packetNo = ctx.packet.packetNo;
    }
    if (m.type === MSG_INITIATION) {
      this.initiations++;
      if (this.initiators.length < MAX_INDEXES) this.initiators.push(m.index);
      ctx.confirm('wireguard');
    } else if (m.type === MSG_RESPONSE) {
      this.responses++;
      if (this.initiators.includes(m.receiver)) this.answered = true;
      ctx.confirm('wireguard');
    } else if (m.type === MSG_COOKIE_REPLY) this.cookieReplies++;
    else {
      this.transport[isOrig ? 0 : 1]++;
      if (this.transport[0] > 0 && this.transport[1] > 0) ctx.confirm('wireguard');
    }
  }

  end(ctx: AnalyzerContext): void {
    if (!this.started) return;
    const ev: WireguardSession = {
      type: 'wireguard.session',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      established: this.answered || (this.transport[0] > 0 && this.transport[1] > 0),
      initiations: this.initiations,
      responses: this.responses,
      cookie_replies: this.cookieReplies,
      transport_packets: this.transport[0] + this.transport[1],
      packet: this.packetNo,
    };
    ctx.emit(ev);
  }
}
