// Per-flow OpenVPN state: frames packets (whole datagrams over UDP; over TCP by their length
// prefix, with the shared PduStream), learns the control channel's wrapping from the hard
// resets, counts control and data packets, and — in plain TLS mode and with tls-auth, where the control channel is in clear — puts each
// direction's P_CONTROL_V1 payloads back in message-id order and hands them to the TLS analyzer
// as one stream, so the tunnel's certificates reach ssl.log and x509.log (as Zeek's OpenVPN
// plugin does). tls-crypt encrypts the control channel: only the counts are known then.
import { IPPROTO_TCP } from '../../decode/packet.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduStream, type PduSink } from '../framing.js';
import { TlsAnalyzer } from '../tls/index.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { OpenvpnSession } from './events.js';
import { OP_CONTROL_V1, isClientReset, isControl, isData, isServerReset, opcode, parseControl, wrapOf, type Wrap } from './parse.js';

/** Out-of-order control packets held per direction, and their bytes in all. */
const MAX_HELD = 32;
const MAX_HELD_BYTES = 256 * 1024;
/** Over TCP: the 16-bit length prefix and the longest packet it can announce. */
const MAX_TCP_PACKET = 2 + 65535;

class Side {
  /** The next control message id to hand on, or -1 before the first. */
  next = -1;
  held = new Map<number, Uint8Array>();
  heldBytes = 0;
  data = 0;
}

export class OpenvpnAnalyzer implements FlowAnalyzer, PduSink {
  private readonly sides = [new Side(), new Side()];
  private wrap: Wrap | null = null;
  private tls: TlsAnalyzer | null = null;
  private clientResets = 0;
  private serverResets = 0;
  private control = 0;
  private started = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packetNo = 0;
  private tlsDead = false;
  /** TCP: each direction's packets, framed by their length prefix. */
  private streams: PduStream[] | null = null;
  /** The TCP packet being delivered (PduSink.pdu). */
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto !== IPPROTO_TCP) {
      this.packet(ctx, isOrig, buf, off, len);
      return;
    }
    this.streams ??= [new PduStream(MAX_TCP_PACKET), new PduStream(MAX_TCP_PACKET)];
    const st = this.streams[isOrig ? 0 : 1];
    if (st.broken) return;
    this.ctx = ctx;
    this.isOrig = isOrig;
    if (!st.feed(buf, off, len, this)) ctx.weird('openvpn.bad_length');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams?.[isOrig ? 0 : 1].reset();
  }

  /** TCP: a packet is its 16-bit length and that many bytes. */
  frameLength(buf: Uint8Array, off: number, len: number): number {
    if (len < 2) return FRAME_NEED_MORE;
    const plen = (buf[off] << 8) | buf[off + 1];
    return plen === 0 ? FRAME_BAD : 2 + plen;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    this.packet(this.ctx!, this.isOrig, buf, off + 2, len - 2);
  }

  end(ctx: AnalyzerContext): void {
    this.tls?.end(ctx);
    if (!this.started) return;
    const o = this.sides[0];
    const r = this.sides[1];
    const ev: OpenvpnSession = {
      type: 'openvpn.session',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      client_resets: this.clientResets,
      server_resets: this.serverResets,
      control_packets: this.control,
      data_packets: o.data + r.data,
      established: o.data > 0 && r.data > 0,
      packet: this.packetNo,
    };
    if (this.wrap !== null) {
      ev.mode = this.wrap.mode;
      if (this.wrap.mode === 'tls-auth') ev.hmac = this.wrap.hmac;
    }
    ctx.emit(ev);
  }

  private packet(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (len < 1) return;
    const op = opcode(buf[off]);
    if (isData(op)) {
      this.sides[isOrig ? 0 : 1].data++;
      return;
    }
    if (!isControl(op)) {
      ctx.weird('openvpn.bad_opcode');
      return;
    }
    if (isClientReset(op) || isServerReset(op)) {
      if (isClientReset(op)) this.clientResets++;
      else this.serverResets++;
      if (this.wrap === null) this.wrap = wrapOf(buf, off, len);
    }
    this.control++;
    if (this.wrap === null) return;
    if (!this.started) {
      this.started = true;
      this.tsSec = ctx.packet.tsSec;
      this.tsNsec = ctx.packet.tsNsec;
      this.packetNo = ctx.packet.packetNo;
      ctx.confirm('openvpn');
    }
    if (this.wrap.mode !== 'tls' && this.wrap.mode !== 'tls-auth') return;
    const c = parseControl(buf, off, len, this.wrap);
    if (c === 'bad') {
      ctx.weird('openvpn.bad_control_packet');
      return;
    }
    if (c.msgId < 0) return;
    const s = this.sides[isOrig ? 0 : 1];
    if (s.next < 0) s.next = c.msgId;
    if (c.msgId < s.next) return; // a retransmission
    if (c.msgId > s.next) {
      // Ahead of a lost or reordered one: held (bounded) until the gap fills.
      if (s.held.size < MAX_HELD && s.heldBytes + len <= MAX_HELD_BYTES && !s.held.has(c.msgId)) {
        s.held.set(c.msgId, buf.slice(off, off + len));
        s.heldBytes += len;
      }
      return;
    }
    this.deliver(ctx, isOrig, c.op, buf, c.payloadOff, c.payloadLen);
    s.next++;
    for (let h = s.held.get(s.next); h !== undefined; h = s.held.get(s.next)) {
      s.held.delete(s.next);
      s.heldBytes -= h.length;
      const d = parseControl(h, 0, h.length, this.wrap);
      if (d !== 'bad') this.deliver(ctx, isOrig, d.op, h, d.payloadOff, d.payloadLen);
      s.next++;
    }
  }

  /** A control message in order: P_CONTROL_V1 carries the next bytes of the TLS stream. */
  private deliver(ctx: AnalyzerContext, isOrig: boolean, op: number, buf: Uint8Array, off: number, len: number): void {
    if (op !== OP_CONTROL_V1 || len === 0 || this.tlsDead) return;
    if (this.tls === null) this.tls = new TlsAnalyzer();
    try {
      this.tls.channel(ctx, isOrig, buf, off, len);
    } catch {
      // The TLS inside failed; the tunnel's own record still stands.
      ctx.weird('openvpn.tls_failed');
      this.tlsDead = true;
    }
  }
}

