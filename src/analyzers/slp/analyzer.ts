// Per-flow SLP state: a UDP datagram is one message; on TCP each direction is framed by the
// header's length. A request waits in a bounded table, keyed by its direction and XID, for the
// reply with the same XID from the other side (RFC 2608 §6.3: a reply echoes the request's XID);
// one event per exchange. A multicast request's answers come from each agent's own address, so
// they arrive on other flows and are logged alone, as are unsolicited advertisements.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import type { SlpMessageEvent } from './events.js';
import {
  FN_ATTRRPLY,
  FN_DAADVERT,
  FN_SAADVERT,
  FN_SRVACK,
  FN_SRVREG,
  FN_SRVRPLY,
  FN_SRVTYPERPLY,
  IDENTITY_ATTRS,
  SLP_PORT,
  V1_HEADER_LEN,
  V2_HEADER_LEN,
  parseAttributes,
  parseMessage,
  type SlpMessage,
} from './parse.js';
import { evictOldest } from '../../util/evict.js';

/** Requests awaiting a reply per flow (agents answer within seconds; a flood must not grow this). */
const MAX_PENDING = 64;
/** Bytes of one TCP message kept (a SrvRply over TCP is the overflow path for large answers). */
const MAX_KEEP = 65536;
/** Replies and acknowledgements answer a request; advertisements answer one or come alone. */
const REPLIES = new Set([FN_SRVRPLY, FN_SRVACK, FN_ATTRRPLY, FN_SRVTYPERPLY]);
const ADVERTS = new Set([FN_DAADVERT, FN_SAADVERT]);
/** Messages whose sender speaks for a service (or is a directory agent). */
const AGENT_MESSAGES = new Set([FN_SRVRPLY, FN_ATTRRPLY, FN_SRVTYPERPLY, FN_DAADVERT, FN_SAADVERT]);
const ANSWERS = new Set([FN_SRVRPLY, FN_ATTRRPLY, FN_SRVTYPERPLY]);

/** Length of a framed message from its first bytes: > 0 known, 0 need more, < 0 not SLP. */
function tcpLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < 5) return 0;
  if (b[off] === 2) {
    const n = (b[off + 2] << 16) | (b[off + 3] << 8) | b[off + 4];
    return n >= V2_HEADER_LEN ? n : -1;
  }
  if (b[off] === 1) {
    const n = (b[off + 2] << 8) | b[off + 3];
    return n >= V1_HEADER_LEN ? n : -1;
  }
  return -1;
}

export class SlpAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  /** Made on a flow's first request: most of a network's SLP flows are one datagram or one exchange. */
  private pending: Map<string, SlpMessageEvent> | null = null;
  private framers: PduFramer[] | null = null;
  private ctx: AnalyzerContext | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto !== 6) {
      this.message(ctx, isOrig, buf, off, len, true);
      return;
    }
    this.ctx = ctx;
    if (this.framers === null) {
      const opts = { maxHeader: 5, maxKeep: MAX_KEEP, lengthOf: tcpLength };
      this.framers = [
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.framed(true, b, o, n, t, d) }),
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.framed(false, b, o, n, t, d) }),
      ];
    }
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) this.weird(ctx, 'bad_framing');
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    void ctx;
    this.framers?.[isOrig ? 0 : 1].gap(len);
  }

  end(ctx: AnalyzerContext): void {
    // Requests never answered are logged without a reply.
    if (this.pending === null) return;
    for (const e of this.pending.values()) ctx.emit(e);
    this.pending = null;
  }

  private framed(isOrig: boolean, b: Uint8Array, o: number, n: number, total: number, damaged: boolean): void {
    const ctx = this.ctx!;
    if (damaged) this.weird(ctx, 'tcp_gap_in_message');
    else if (n < total) this.weird(ctx, 'message_too_large');
    else this.message(ctx, isOrig, b, o, n, false);
  }

  private weird(ctx: AnalyzerContext, name: string): void {
    ctx.weird(`slp.${name}`);
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number, datagram: boolean): void {
    const m = parseMessage(buf, off, len);
    if (typeof m === 'string') {
      this.weird(ctx, m);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('slp');
    }
    if (m.damage !== undefined) this.weird(ctx, m.damage);
    if (datagram && m.length < len) this.weird(ctx, 'trailing_bytes');
    const c = ctx.conn;
    const fromAgentPort = (isOrig ? c.oPort : c.rPort) === SLP_PORT;
    if (REPLIES.has(m.fn) || ADVERTS.has(m.fn)) {
      const key = (isOrig ? 'r' : 'o') + m.xid;
      const req = this.pending?.get(key);
      if (req !== undefined) {
        this.pending!.delete(key);
        this.reply(req, isOrig, m, true);
        req.reply_packet = ctx.packet.packetNo;
        ctx.emit(req);
        return;
      }
      const e = this.event(ctx, isOrig, m);
      this.reply(e, isOrig, m, fromAgentPort);
      ctx.emit(e);
      return;
    }
    // A request (SrvRqst, SrvReg, SrvDeReg, AttrRqst, SrvTypeRqst).
    const key = (isOrig ? 'o' : 'r') + m.xid;
    const pending = (this.pending ??= new Map());
    const cur = pending.get(key);
    if (cur !== undefined && cur.function === m.function) {
      cur.retransmissions++;
      return;
    }
    if (cur !== undefined) {
      pending.delete(key);
      ctx.emit(cur);
    }
    if (pending.size >= MAX_PENDING) {
      ctx.emit(evictOldest(pending)![1]);
      this.weird(ctx, 'too_many_pending');
    }
    const e = this.event(ctx, isOrig, m);
    this.fields(e, m);
    // A registration is the registering agent's own account of its service (unless damaged).
    if (m.fn === FN_SRVREG && m.damage === undefined) e.agent_is_orig = isOrig;
    pending.set(key, e);
  }

  /** The reply's fields into the exchange; `trusted`: it answered this exchange or came from port 427. */
  private reply(e: SlpMessageEvent, isOrig: boolean, m: SlpMessage, trusted: boolean): void {
    if (e.function !== m.function) e.reply = m.function;
    if (m.error !== undefined) e.error = m.error;
    if (e.function === m.function) {
      this.fields(e, m);
    } else {
      for (const u of m.urls) {
        e.urls.push(u.url);
        e.lifetimes.push(u.lifetime);
      }
      if (m.service_types.length > 0) e.service_types = m.service_types;
      if (m.attr_list !== undefined) this.attributes(e, m.attr_list);
      if (m.scopes !== undefined && e.scopes === undefined) e.scopes = m.scopes;
    }
    if (trusted && m.damage === undefined && AGENT_MESSAGES.has(m.fn) && (m.error ?? 0) === 0) {
      e.agent_is_orig = isOrig;
      if (ANSWERS.has(m.fn)) e.answered = true;
    }
  }

  private event(ctx: AnalyzerContext, isOrig: boolean, m: SlpMessage): SlpMessageEvent {
    const p = ctx.packet;
    return {
      type: 'slp.message',
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      packet: p.packetNo,
      is_orig: isOrig,
      version: m.version,
      function: m.function,
      xid: m.xid,
      lang: m.lang,
      multicast: m.multicast,
      overflow: m.overflow,
      fresh: m.fresh,
      urls: [],
      lifetimes: [],
      service_types: [],
      attributes: [],
      attribute_values: [],
      retransmissions: 0,
    };
  }

  private fields(e: SlpMessageEvent, m: SlpMessage): void {
    e.service_type = m.service_type;
    e.scopes = m.scopes;
    e.predicate = m.predicate;
    e.naming_authority = m.naming_authority;
    e.url = m.url;
    e.tags = m.tags;
    if (m.error !== undefined) e.error = m.error;
    for (const u of m.urls) {
      e.urls.push(u.url);
      e.lifetimes.push(u.lifetime);
    }
    if (m.service_types.length > 0) e.service_types = m.service_types;
    if (m.attr_list !== undefined) this.attributes(e, m.attr_list);
  }

  private attributes(e: SlpMessageEvent, list: string): void {
    for (const a of parseAttributes(list)) {
      if (!e.attributes.includes(a.tag)) e.attributes.push(a.tag);
      if (a.value !== undefined && IDENTITY_ATTRS.has(a.tag.toLowerCase())) e.attribute_values.push(`${a.tag}=${a.value}`);
    }
  }
}
