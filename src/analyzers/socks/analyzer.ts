// Per-flow SOCKS state: follows the handshake of each side (greeting, method choice, RFC 1929
// login, request, reply) in a small bounded buffer; a granted CONNECT hands the tunnelled bytes
// back to the engine to find their protocol (socks.tunnel). The password becomes a keyed digest
// at once. One session record per connection, as Zeek's socks.log, emitted when the connection
// ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import {
  CMD_CONNECT,
  METHOD_USERPASS,
  SOCKS4,
  SOCKS5,
  V4_GRANTED,
  V5_AUTH_METHODS,
  V5_SUCCEEDED,
  parseGreeting,
  parseMethodChoice,
  parseUserPass,
  parseUserPassReply,
  parseV4Reply,
  parseV4Request,
  parseV5,
  statusText,
  type Reply,
  type Request,
} from './parse.js';

/** Handshake bytes kept per side; real handshakes are under 600 bytes. */
const MAX_HANDSHAKE = 2048;

const enum C {
  Greeting,
  AuthOrRequest,
  Done,
}
const enum S {
  Method,
  AuthReplyOrReply,
  Done,
}

export class SocksAnalyzer implements FlowAnalyzer {
  private readonly carry: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  private cState = C.Greeting;
  private sState = S.Method;
  private version = 0;
  private method = -1;
  private tsSec = 0;
  private tsNsec = 0;
  private started = false;
  private user: string | undefined;
  private passwordSent = false;
  private status: string | undefined;
  private request: Request | undefined;
  private reply: Reply | undefined;
  private broken = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    if (isOrig ? this.cState === C.Done : this.sState === S.Done) return;
    const side = isOrig ? 0 : 1;
    let b = buf.subarray(off, off + len);
    const c = this.carry[side];
    if (c.length) {
      const nb = new Uint8Array(c.length + len);
      nb.set(c, 0);
      nb.set(b, c.length);
      b = nb;
    }
    let p = 0;
    while (p < b.length) {
      const used = isOrig ? this.client(ctx, b, p) : this.server(ctx, b, p);
      if (used === 'need_more') break;
      if (used === 'bad') {
        ctx.weird(isOrig ? 'socks.bad_client_message' : 'socks.bad_server_message');
        this.broken = true;
        return;
      }
      p += used;
      if (isOrig ? this.cState === C.Done : this.sState === S.Done) {
        p = b.length;
        break;
      }
    }
    const rest = b.length - p;
    this.carry[side] = rest > 0 && rest <= MAX_HANDSHAKE ? b.slice(p) : new Uint8Array(0);
  }

  gap(): void {
    this.broken = true;
  }

  end(ctx: AnalyzerContext): void {
    if (!this.started) return;
    const ev: Record<string, unknown> = { type: 'socks.session', tsSec: this.tsSec, tsNsec: this.tsNsec, version: this.version };
    if (this.user !== undefined) ev.user = this.user;
    ev.password_sent = this.passwordSent;
    if (this.method >= 0) ev.auth_method = V5_AUTH_METHODS[this.method] ?? `unknown-${this.method}`;
    if (this.status !== undefined) ev.status = this.status;
    const r = this.request;
    if (r !== undefined) {
      if (r.host !== undefined) ev.request_host = r.host;
      if (r.name !== undefined) ev.request_name = r.name;
      ev.request_p = r.port;
    }
    const y = this.reply;
    if (y !== undefined) {
      if (y.host !== undefined) ev.bound_host = y.host;
      if (y.name !== undefined) ev.bound_name = y.name;
      ev.bound_p = y.port;
    }
    ctx.emit(ev as { type: string });
  }

  private begin(ctx: AnalyzerContext, version: number): void {
    if (this.started) return;
    this.started = true;
    this.version = version;
    this.tsSec = ctx.packet.tsSec;
    this.tsNsec = ctx.packet.tsNsec;
    ctx.confirm('socks');
  }

  private client(ctx: AnalyzerContext, b: Uint8Array, p: number): number | 'need_more' | 'bad' {
    const n = b.length - p;
    if (this.cState === C.Greeting) {
      if (b[p] === SOCKS4) {
        const r = parseV4Request(b, p, n);
        if (typeof r === 'string') return r;
        this.begin(ctx, SOCKS4);
        this.request = r;
        if (r.user) this.user = r.user;
        this.emitRequest(ctx, r);
        this.cState = C.Done;
        return r.consumed;
      }
      const g = parseGreeting(b, p, n);
      if (typeof g === 'string') return g;
      this.begin(ctx, SOCKS5);
      this.cState = C.AuthOrRequest;
      return g.consumed;
    }
    // After the greeting: an RFC 1929 login (version byte 1) or the request (version 5).
    if (b[p] === 1) {
      const u = parseUserPass(b, p, n);
      if (typeof u === 'string') return u;
      this.user = u.user;
      this.passwordSent = true;
      const c = ctx.conn;
      ctx.emit({
        type: 'socks.credential',
        server: formatAddr(c.r0, c.r1, c.r2, c.r3),
        server_p: c.rPort,
        client: formatAddr(c.o0, c.o1, c.o2, c.o3),
        user: u.user,
        secret: secretDigest(b.subarray(u.passwordAt[0], u.passwordAt[0] + u.passwordAt[1])),
        packet: ctx.packet.packetNo,
      });
      return u.consumed;
    }
    const r = parseV5(b, p, n, false);
    if (typeof r === 'string') return r;
    this.request = r as Request;
    this.emitRequest(ctx, r as Request);
    this.cState = C.Done;
    return r.consumed;
  }

  private server(ctx: AnalyzerContext, b: Uint8Array, p: number): number | 'need_more' | 'bad' {
    const n = b.length - p;
    if (this.version === SOCKS4) {
      const r = parseV4Reply(b, p, n);
      if (typeof r === 'string') return r;
      this.finishReply(ctx, r);
      return r.consumed;
    }
    if (this.sState === S.Method) {
      const m = parseMethodChoice(b, p, n);
      if (typeof m === 'string') return m;
      this.method = m.method;
      this.sState = S.AuthReplyOrReply;
      return m.consumed;
    }
    if (b[p] === 1 && this.method === METHOD_USERPASS) {
      const a = parseUserPassReply(b, p, n);
      if (typeof a === 'string') return a;
      // Zeek maps the RFC 1929 status through its SOCKS5 reply table.
      this.status = statusText(SOCKS5, a.status);
      ctx.emit({ type: 'socks.login', user: this.user ?? '', success: a.status === 0, packet: ctx.packet.packetNo });
      return a.consumed;
    }
    const r = parseV5(b, p, n, true);
    if (typeof r === 'string') return r;
    this.finishReply(ctx, r as Reply);
    return r.consumed;
  }

  private emitRequest(ctx: AnalyzerContext, r: Request): void {
    const ev: Record<string, unknown> = { type: 'socks.request', version: r.version, command: r.command, request_p: r.port, packet: ctx.packet.packetNo };
    if (r.host !== undefined) ev.request_host = r.host;
    if (r.name !== undefined) ev.request_name = r.name;
    ctx.emit(ev as { type: string });
  }

  private finishReply(ctx: AnalyzerContext, r: Reply): void {
    this.reply = r;
    this.status = statusText(r.version, r.code);
    this.sState = S.Done;
    // A granted CONNECT: the rest of the connection is the tunnelled protocol's.
    if (this.request?.command === CMD_CONNECT && r.code === (r.version === SOCKS4 ? V4_GRANTED : V5_SUCCEEDED)) ctx.emit({ type: 'socks.tunnel' });
  }
}
