// Per-flow SIP state. Messages are framed per UDP datagram (one or more each, RFC 3261 §18.3)
// or on the TCP stream by Content-Length (bounded buffer per direction). Requests and responses
// are paired exactly as Zeek's base/protocols/sip/main.zeek does, so sip.log lines match Zeek's:
// a table of pending records indexed by a request and a response counter, a record logged when
// a response ends and dropped when that response is final, the rest logged at connection end.
// User-Agent and Server headers become `software` events for the message's sender. An SDP body
// (an offer or answer, RFC 3264) announces where each media stream will flow: one `sip.media`
// event per m= line, which the engine turns into expected RTP/RTCP flows.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { MAX_KEEPALIVE, digestUsername, parseSipMessage, skipKeepAlive, type SipMessage } from './parse.js';
import type { SipTransaction } from './events.js';
import { latin1 } from '../textproto.js';
import { isSecureProfile, parseSdp } from '../rtp/sdp.js';
import type { MediaAnnounce } from '../rtp/events.js';
import { evictOldest } from '../../util/evict.js';

/** Bytes of one direction's unfinished TCP message kept (a message is at most head + body). */
const MAX_BUFFER = 64 * 1024;
/** Pending records per connection (Zeek's table is unbounded; a flood must not be). */
const MAX_PENDING = 64;
/** Via entries kept per record (Zeek appends every Via of every message of the pairing). */
const MAX_PATH = 64;
/** Messages parsed from one datagram. */
const MAX_PER_DATAGRAM = 16;

const EMPTY = new Uint8Array(0);
const PROTO_UDP = 17;

/** "…;tag=x" and "…; tag=x" are cut off From (Zeek: split_string1(value, /;[ ]?tag=/)). */
function beforeTag(v: string): string {
  const m = /; ?tag=/.exec(v);
  return m === null ? v : v.slice(0, m.index);
}

/** Via without its branch parameter (Zeek: split_string1(value, /;[ ]?branch/)). */
function beforeBranch(v: string): string {
  const m = /; ?branch/.exec(v);
  return m === null ? v : v.slice(0, m.index);
}

/** Zeek's to_count(): the leading decimal digits, 0 when there are none. */
function toCount(v: string): number {
  const m = /^\d{1,15}/.exec(v.trim());
  return m === null ? 0 : Number(m[0]);
}

export class SipAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private broken: [boolean, boolean] = [false, false];
  private carry: [Uint8Array, Uint8Array] = [EMPTY, EMPTY];
  /** Zeek's SIP::State; null when the connection has none (before the first message, after a flush). */
  private pending: Map<number, SipTransaction> | null = null;
  private currentRequest = 0;
  private currentResponse = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto === PROTO_UDP) {
      this.datagramData(ctx, isOrig, buf, off, len);
      return;
    }
    const side = isOrig ? 0 : 1;
    if (this.broken[side]) return;
    let b = buf;
    let o = off;
    let l = len;
    const carry = this.carry[side];
    if (carry.length > 0) {
      b = new Uint8Array(carry.length + len);
      b.set(carry, 0);
      b.set(buf.subarray(off, off + len), carry.length);
      o = 0;
      l = b.length;
    }
    for (;;) {
      const k = skipKeepAlive(b, o, l);
      o += k;
      l -= k;
      if (l === 0) break;
      const r = parseSipMessage(b, o, l, false);
      if (r === 'need_more') break;
      if (r === 'bad') {
        ctx.weird('sip.bad_message');
        ctx.violation?.();
        this.broken[side] = true;
        this.carry[side] = EMPTY;
        return;
      }
      this.message(ctx, isOrig, r, b, o);
      o += r.consumed;
      l -= r.consumed;
    }
    if (l > MAX_BUFFER) {
      ctx.weird('sip.message_too_long');
      this.broken[side] = true;
      this.carry[side] = EMPTY;
      return;
    }
    this.carry[side] = l > 0 ? b.slice(o, o + l) : EMPTY;
  }

  private datagramData(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    let o = off;
    let l = len;
    for (let n = 0; n < MAX_PER_DATAGRAM; n++) {
      const k = skipKeepAlive(buf, o, l);
      o += k;
      l -= k;
      if (l === 0) return;
      if (n === 0 && l <= MAX_KEEPALIVE) return;
      const r = parseSipMessage(buf, o, l, true);
      if (r === 'need_more' || r === 'bad') {
        // A datagram is never continued by the next one: what does not parse is damage.
        ctx.weird('sip.bad_message');
        return;
      }
      this.message(ctx, isOrig, r, buf, o);
      o += r.consumed;
      l -= r.consumed;
    }
    if (l > 0) ctx.weird('sip.too_many_messages');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // A stream cannot be reframed after lost bytes: stop that direction.
    const side = isOrig ? 0 : 1;
    this.broken[side] = true;
    this.carry[side] = EMPTY;
  }

  end(ctx: AnalyzerContext): void {
    // Zeek's finalize_sip hook: every record still pending is logged.
    if (this.pending !== null) for (const info of this.pending.values()) ctx.emit(info);
    this.pending = null;
  }

  private newRecord(ctx: AnalyzerContext): SipTransaction {
    const m = ctx.packet;
    return { type: 'sip.transaction', tsSec: m.tsSec, tsNsec: m.tsNsec, packet: m.packetNo, trans_depth: this.currentRequest, request_path: [], response_path: [] };
  }

  /** Zeek's set_state(): the record a message of this kind works on. */
  private record(ctx: AnalyzerContext, isRequest: boolean): SipTransaction {
    if (this.pending === null) this.pending = new Map();
    const idx = isRequest ? this.currentRequest : this.currentResponse;
    let info = this.pending.get(idx);
    if (info === undefined) {
      if (this.pending.size >= MAX_PENDING) {
        ctx.weird('sip.too_many_pending');
        evictOldest(this.pending);
      }
      info = this.newRecord(ctx);
      this.pending.set(idx, info);
    }
    return info;
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, m: SipMessage, buf: Uint8Array, off: number): void {
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('sip');
    }
    this.software(ctx, isOrig, m);
    if (m.kind === 'request') this.request(ctx, m);
    else this.response(ctx, m);
    if (m.bodyLen > 0) this.sdp(ctx, m, buf, off + m.consumed - m.bodyLen);
  }

  /** The media an SDP body announces (Content-Type application/sdp, or an untyped body that is SDP). */
  private sdp(ctx: AnalyzerContext, m: SipMessage, buf: Uint8Array, start: number): void {
    let type: string | undefined;
    for (const [name, value] of m.headers) if (name === 'CONTENT-TYPE') type = value.toLowerCase();
    if (type !== undefined ? !type.startsWith('application/sdp') : buf[start] !== 0x76 /* v */) return;
    const p = ctx.packet;
    for (const d of parseSdp(latin1(buf, start, start + m.bodyLen))) {
      if (d.port === 0 || d.addr === '' || d.addr === '0.0.0.0') continue;
      const srtp = isSecureProfile(d.proto);
      const ev: MediaAnnounce = { type: 'sip.media', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, host: d.addr, port: d.port, rtcp_port: d.rtcpPort, media: d.media, proto: d.proto, srtp, crypto: d.crypto, codecs: d.codecs };
      ctx.emit(ev);
    }
  }

  private software(ctx: AnalyzerContext, isOrig: boolean, m: SipMessage): void {
    const c = ctx.conn;
    const host = isOrig ? origHost(c) : respHost(c);
    for (const [name, value] of m.headers) {
      if (value === '') continue;
      if (name === 'USER-AGENT') ctx.emit({ type: 'software', host, software_type: 'SIP::CLIENT', unparsed_version: value });
      else if (name === 'SERVER') ctx.emit({ type: 'software', host, host_p: isOrig ? c.oPort : c.rPort, software_type: 'SIP::SERVER', unparsed_version: value });
    }
  }

  private request(ctx: AnalyzerContext, m: SipMessage): void {
    // sip_request
    let info = this.record(ctx, true);
    info.method = m.method;
    info.uri = m.uri;
    // sip_header, once per field: a new index only when the current one was logged and dropped.
    for (const [name, value] of m.headers) {
      if (!this.pending!.has(this.currentRequest)) this.currentRequest++;
      info = this.record(ctx, true);
      switch (name) {
        case 'CALL-ID':
          info.call_id = value;
          break;
        case 'CONTENT-LENGTH':
          info.request_body_len = toCount(value);
          break;
        case 'CSEQ':
          info.seq = value;
          break;
        case 'DATE':
          info.date = value;
          break;
        case 'FROM':
          info.request_from = beforeTag(value);
          break;
        case 'REPLY-TO':
          info.reply_to = value;
          break;
        case 'SUBJECT':
          info.subject = value;
          break;
        case 'TO':
          info.request_to = value;
          break;
        case 'USER-AGENT':
          info.user_agent = value;
          break;
        case 'VIA':
          if (info.request_path.length < MAX_PATH) info.request_path.push(beforeBranch(value));
          break;
        case 'AUTHORIZATION':
        case 'PROXY-AUTHORIZATION': {
          // The Digest response is a hash, not the password: only the user name is kept.
          const user = digestUsername(value);
          if (user !== undefined) info.username = user;
          break;
        }
      }
    }
    // sip_end_entity (priority 5)
    this.record(ctx, true);
  }

  private response(ctx: AnalyzerContext, m: SipMessage): void {
    // sip_reply
    let info = this.record(ctx, false);
    info.status_code = m.code;
    info.status_msg = m.reason;
    for (const [name, value] of m.headers) {
      if (!this.pending!.has(this.currentResponse)) this.currentResponse++;
      info = this.record(ctx, false);
      switch (name) {
        case 'CONTENT-LENGTH':
          info.response_body_len = toCount(value);
          break;
        case 'CONTENT-TYPE':
          info.content_type = value;
          break;
        case 'WARNING':
          info.warning = value;
          break;
        case 'FROM':
          info.response_from = beforeTag(value);
          break;
        case 'TO':
          info.response_to = value;
          break;
        case 'VIA':
          if (info.response_path.length < MAX_PATH) info.response_path.push(beforeBranch(value));
          break;
      }
    }
    // sip_end_entity: the response is complete, so the pairing is logged (a copy: a
    // provisional response leaves the record pending and later messages keep filling it).
    info = this.record(ctx, false);
    ctx.emit({ ...info, request_path: info.request_path.slice(), response_path: info.response_path.slice() });
    const code = info.status_code ?? 0;
    if (code < 100 || code >= 200) this.pending!.delete(this.currentResponse);
    if (info.method === undefined || (info.method === 'BYE' && code >= 200 && code < 300)) {
      // The dialog is over (or the response answered nothing seen): flush and forget the state.
      for (const [idx, p] of this.pending!) if (idx !== 0) ctx.emit(p);
      this.pending = null;
      this.currentRequest = 0;
      this.currentResponse = 0;
    }
  }
}
