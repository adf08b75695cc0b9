// Per-flow OpenVPN state: frames packets (whole datagrams over UDP, length-prefixed over TCP),
// learns the control channel's wrapping from the hard resets, counts control and data packets,
// and — in plain TLS mode and with tls-auth, where the control channel is in clear — puts each
// direction's P_CONTROL_V1 payloads back in message-id order and hands them to the TLS analyzer
// as one stream, so the tunnel's certificates reach ssl.log and x509.log (as Zeek's OpenVPN
// plugin does). tls-crypt encrypts the control channel: only the counts are known then.
import { IPPROTO_TCP } from '../../decode/packet.js';
import { TlsAnalyzer } from '../tls/index.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { OpenvpnSession } from './events.js';
import { OP_CONTROL_V1, isClientReset, isControl, isData, isServerReset, opcode, parseControl, wrapOf, type Wrap } from './parse.js';

/** Out-of-order control packets held per direction, and their bytes in all. */
const MAX_HELD = 32;
const MAX_HELD_BYTES = 256 * 1024;

class Side {
  /** TCP: bytes of an incomplete packet (with its length prefix). */
  carry: Uint8Array | null = null;
  carryLen = 0;
  /** The next control message id to hand on, or -1 before the first. */
  next = -1;
  held = new Map<number, Uint8Array>();
  heldBytes = 0;
  data = 0;
}

export class OpenvpnAnalyzer implements FlowAnalyzer {
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
  private broken = false;
  private tlsDead = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    if (ctx.conn.proto !== IPPROTO_TCP) {
      this.packet(ctx, isOrig, buf, off, len);
      return;
    }
    const s = this.sides[isOrig ? 0 : 1];
    let b = buf;
    let p = off;
    let end = off + len;
    if (s.carryLen > 0) {
      b = new Uint8Array(s.carryLen + len);
      b.set(s.carry!.subarray(0, s.carryLen), 0);
      b.set(buf.subarray(off, off + len), s.carryLen);
      p = 0;
      end = b.length;
      s.carryLen = 0;
    }
    while (end - p >= 2) {
      const plen = (b[p] << 8) | b[p + 1];
      if (plen === 0) {
        ctx.weird('openvpn.bad_length');
        this.broken = true;
        return;
      }
      if (end - p < 2 + plen) break;
      this.packet(ctx, isOrig, b, p + 2, plen);
      p += 2 + plen;
    }
    if (p < end) {
      const n = end - p;
      if (s.carry === null || s.carry.length < n) s.carry = new Uint8Array(Math.max(n, 256));
      s.carry.set(b.subarray(p, end), 0);
      s.carryLen = n;
    }
  }

  gap(ctx: AnalyzerContext): void {
    // Lost TCP bytes lose the length framing, which has no marker to find again.
    ctx.weird('openvpn.content_gap');
    this.broken = true;
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

