// Per-flow AJP13 state: each direction cut into packets by their headers (PduFlowAnalyzer), the web
// server's messages opening exchanges and the container's completing them. AJP has one request in
// flight per connection, so while a request waits for its End Response the web server's packets
// shaped as body data are its body. One ajp.exchange event per exchange; the container's Server
// header as software; a Basic password as a credential event (digest only).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { respHost } from '../connid.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import { credentialEvent } from '../textproto.js';
import type { AjpExchange } from './events.js';
import {
  AJP_CPING, AJP_CPONG, AJP_END_RESPONSE, AJP_FORWARD_REQUEST, AJP_GET_BODY_CHUNK, AJP_HEADER_LEN, AJP_PING, AJP_SEND_BODY_CHUNK, AJP_SEND_HEADERS,
  AJP_SHUTDOWN, INCLUDE_PREFIX, MAX_PACKET, bodyLength, packetLength, parseForwardRequest, parseSendHeaders,
} from './parse.js';

const KIND: Record<number, string> = { [AJP_FORWARD_REQUEST]: 'request', [AJP_CPING]: 'cping', [AJP_PING]: 'ping', [AJP_SHUTDOWN]: 'shutdown' };

export class AjpAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private pending: AjpExchange | null = null;
  private confirmed = false;
  private lastServer = '';

  constructor() {
    super(MAX_PACKET, 'ajp.bad_framing');
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    const n = packetLength(buf, off, len, this.isOrig);
    return n === 0 ? FRAME_NEED_MORE : n < 0 ? FRAME_BAD : n;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const p = off + AJP_HEADER_LEN;
    const n = len - AJP_HEADER_LEN;
    if (this.isOrig) this.fromWebServer(buf, p, n);
    else this.fromContainer(buf, p, n);
  }

  private fromWebServer(buf: Uint8Array, p: number, n: number): void {
    const ctx = this.ctx!;
    const cur = this.pending;
    if (cur !== null && cur.kind === 'request' && cur.status_code === undefined) {
      const body = bodyLength(buf, p, n);
      if (body >= 0) {
        cur.request_body_len += body;
        return;
      }
    }
    const type = n > 0 ? buf[p] : -1;
    const kind = KIND[type];
    if (kind === undefined) {
      ctx.weird('ajp.unknown_message');
      return;
    }
    this.flush();
    const ex: AjpExchange = { type: 'ajp.exchange', tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec, packet: ctx.packet.packetNo, kind, request_body_len: 0, response_body_len: 0 };
    if (type === AJP_FORWARD_REQUEST) {
      const r = parseForwardRequest(buf, p, n);
      if (r === null) {
        ctx.weird('ajp.bad_forward_request');
        return;
      }
      ex.method = r.method;
      ex.protocol = r.protocol;
      ex.uri = r.uri;
      ex.has_query = r.has_query;
      ex.remote_addr = r.remote_addr;
      ex.remote_host = r.remote_host;
      ex.server_name = r.server_name;
      ex.server_port = r.server_port;
      ex.is_ssl = r.is_ssl;
      ex.host = r.host;
      ex.user_agent = r.user_agent;
      ex.auth_scheme = r.auth_scheme;
      ex.username = r.username;
      ex.remote_user = r.remote_user;
      ex.auth_type = r.auth_type;
      ex.route = r.route;
      ex.ssl_cipher = r.ssl_cipher;
      ex.attributes = r.attributes;
      if (r.has_secret) ex.has_secret = true;
      if (r.password !== undefined) {
        ex.has_password = true;
        ctx.emit(credentialEvent('ajp', r.username ?? '', r.password));
        r.password.fill(0);
      }
      if (r.attributes.some((a) => a.startsWith(INCLUDE_PREFIX))) {
        ex.ghostcat = true;
        const path = (r.include.servlet_path ?? '') + (r.include.path_info ?? '');
        ex.include_path = path !== '' ? path : r.include.request_uri;
      }
    }
    this.confirm();
    this.pending = ex;
    if (type === AJP_SHUTDOWN) this.flush();
  }

  private fromContainer(buf: Uint8Array, p: number, n: number): void {
    const ctx = this.ctx!;
    const type = n > 0 ? buf[p] : -1;
    const cur = this.pending;
    switch (type) {
      case AJP_SEND_HEADERS: {
        const h = parseSendHeaders(buf, p, n);
        if (h === null) {
          ctx.weird('ajp.bad_send_headers');
          return;
        }
        this.confirm();
        if (h.server !== undefined && h.server !== '' && h.server !== this.lastServer) {
          this.lastServer = h.server;
          const c = ctx.conn;
          ctx.emit({ type: 'software', host: respHost(c), host_p: c.rPort, software_type: 'AJP::SERVER', unparsed_version: h.server });
        }
        if (cur === null || cur.kind !== 'request' || cur.status_code !== undefined) {
          ctx.weird('ajp.unexpected_response');
          return;
        }
        cur.status_code = h.status;
        cur.status_msg = h.status_msg;
        cur.content_type = h.content_type;
        cur.server = h.server;
        cur.powered_by = h.powered_by;
        return;
      }
      case AJP_SEND_BODY_CHUNK:
        if (cur !== null && n >= 3) cur.response_body_len += (buf[p + 1] << 8) | buf[p + 2];
        return;
      case AJP_GET_BODY_CHUNK:
        return;
      case AJP_END_RESPONSE:
        this.confirm();
        if (cur === null || cur.kind !== 'request') {
          ctx.weird('ajp.unexpected_response');
          return;
        }
        if (n >= 2) cur.reuse = buf[p + 1] !== 0;
        this.flush();
        return;
      case AJP_CPONG:
        this.confirm();
        if (cur === null || (cur.kind !== 'cping' && cur.kind !== 'ping')) {
          ctx.weird('ajp.unexpected_response');
          return;
        }
        cur.pong = true;
        this.flush();
        return;
      default:
        ctx.weird('ajp.unknown_message');
    }
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx!.confirm('ajp');
  }

  private flush(): void {
    const ex = this.pending;
    if (ex === null) return;
    this.pending = null;
    this.ctx!.emit(ex);
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flush();
  }
}
