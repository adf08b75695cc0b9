// Per-flow RDP-UDP state: the client's SYN, the server's SYN+ACK, then a look for the TLS or
// DTLS ClientHello in the next few client datagrams (its server name). One rdpeudp.log line when
// the connection ends. Everything else on the transport is encrypted and left alone. A transport
// the capture joined after its handshake (on UDP 3389, where the host starts this analyzer on a
// "maybe") is confirmed once each side has sent a datagram with an established transport's header.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { parseClientHello } from '../tls/parse.js';
import type { RdpeudpSessionEvent } from './events.js';
import { FLAG_ACK, FLAG_SYNLOSSY, RDP_PORT, SOURCE_ACK_NONE, findClientHello, isEstablishedHeader, parseSyn } from './parse.js';

/** Client datagrams after the handshake searched for the ClientHello (it is the first data). */
const MAX_HELLO_SEARCH = 8;

export class RdpeudpAnalyzer implements FlowAnalyzer {
  private rec: RdpeudpSessionEvent | null = null;
  private clientSeq = -1;
  private searched = 0;
  private helloDone = false;
  /** Mid-session: datagrams with an established header from each side (orig, resp), and the first one's time. */
  private readonly joined = [0, 0];
  private joinedAt: RdpeudpSessionEvent | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const r = this.rec;
    if (r === null || !r.established) {
      this.handshake(ctx, isOrig, buf, off, len);
      return;
    }
    if (!isOrig || this.helloDone) return;
    if (++this.searched > MAX_HELLO_SEARCH) {
      this.helloDone = true;
      return;
    }
    const at = findClientHello(buf, off, len);
    if (at === null) return;
    this.helloDone = true;
    r.security = at.dtls ? 'dtls' : 'tls';
    const ch = parseClientHello(buf, at.off, at.len, at.dtls);
    if (ch === 'bad') ctx.weird('rdpeudp.bad_client_hello');
    else if (ch.serverNames.length > 0) r.server_name = ch.serverNames[0];
  }

  private handshake(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = parseSyn(buf, off, len);
    if (s === null) {
      if (this.rec === null) this.midSession(ctx, isOrig, buf, off, len);
      return;
    }
    if (isOrig && s.sourceAck === SOURCE_ACK_NONE && this.rec === null) {
      const p = ctx.packet;
      this.clientSeq = s.initialSeq;
      this.rec = {
        type: 'rdpeudp.session',
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        packet: p.packetNo,
        version: s.version ?? 1,
        established: false,
        lossy: (s.flags & FLAG_SYNLOSSY) !== 0,
        mtu_up: s.upMtu,
        mtu_down: s.downMtu,
      };
      if (s.version !== undefined) this.rec.client_version = s.version;
      if (s.correlationId !== undefined) this.rec.correlation_id = s.correlationId;
      return;
    }
    // The server's SYN+ACK acknowledges the client's initial sequence number (§3.1.5.1.1).
    if (!isOrig && this.rec !== null && (s.flags & FLAG_ACK) !== 0 && s.sourceAck === this.clientSeq) {
      this.rec.established = true;
      this.rec.version = s.version ?? 1;
      ctx.confirm('rdpeudp');
    }
  }

  private midSession(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (!isEstablishedHeader(buf, off, len)) return;
    if (this.joinedAt === null) {
      const p = ctx.packet;
      this.joinedAt = { type: 'rdpeudp.session', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, established: true, midstream: true };
    }
    this.joined[isOrig ? 0 : 1]++;
    if (this.joined[0] === 0 || this.joined[1] === 0) return;
    this.rec = this.joinedAt;
    // The client is the side off port 3389; its next datagrams may still carry the ClientHello.
    this.helloDone = ctx.conn.rPort !== RDP_PORT;
    ctx.confirm('rdpeudp');
  }

  end(ctx: AnalyzerContext): void {
    if (this.rec === null) return;
    ctx.emit(this.rec);
    this.rec = null;
  }
}
