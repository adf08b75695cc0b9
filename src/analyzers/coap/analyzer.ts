// Per-flow CoAP state: one message per datagram (RFC 7252 §3). Requests wait in a bounded list
// until their response arrives: a piggybacked response is the ACK carrying the request's message
// id and token (§5.2.1), a separate response a CON/NON carrying its token (§5.2.2); an Empty ACK
// only acknowledges, an RST with the message id rejects (§4.2). Observe registrations (RFC 7641)
// stay pending so every notification is logged against its request. A /.well-known/core answer
// (RFC 6690 §4) is reassembled over Block2 (RFC 7959 §2.4) in a bounded buffer and its links
// read; a POST /rd?ep=… is an OMA LwM2M registration (Transport §6.4.1) whose endpoint and
// object links are kept.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { CoapTransactionEvent } from './events.js';
import {
  CF_LINK_FORMAT,
  CLASS_REQUEST,
  CLASS_SUCCESS,
  CODE_EMPTY,
  codeClass,
  codeText,
  contentFormatText,
  lwm2mRegistration,
  parseCoap,
  parseLinkFormat,
  TYPE_ACK,
  TYPE_CON,
  TYPE_NAMES,
  TYPE_RST,
  uriOf,
  type Block,
  type CoapMessage,
  type Link,
} from './parse.js';

/** Requests awaiting a response in one flow; past it the oldest is logged unanswered. */
const MAX_PENDING = 64;
/** Bytes of a block-wise /.well-known/core answer kept. */
const MAX_WKC_BYTES = 16 * 1024;
const POST = 0x02;
const WELL_KNOWN_CORE = '/.well-known/core';
const LWM2M_REGISTER_PATH = 'rd';
const OBSERVE_REGISTER = 0;

interface Tx {
  tsSec: number;
  tsNsec: number;
  packet: number;
  fromOrig: boolean;
  msg: CoapMessage;
  uri: string;
  /** Message id of the last response logged (a retransmitted response is not logged twice). */
  lastResponseMid: number;
  done: boolean;
  links?: Link[];
}

function blockText(b: Block | undefined): string | undefined {
  return b === undefined ? undefined : `${b.num}/${b.more ? 1 : 0}/${b.size}`;
}

export class CoapAnalyzer implements FlowAnalyzer {
  private readonly pending: Tx[] = [];
  private confirmed = false;
  private wkc: Uint8Array | null = null;
  private wkcLen = 0;
  private wkcNext = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseCoap(buf, off, len);
    if (typeof m === 'string') {
      ctx.weird(`coap.${m}`);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('coap');
    }
    if (m.code === CODE_EMPTY) this.empty(ctx, isOrig, m);
    else if (codeClass(m.code) === CLASS_REQUEST) this.request(ctx, isOrig, m, buf);
    else this.response(ctx, isOrig, m, buf);
  }

  end(ctx: AnalyzerContext): void {
    for (const t of this.pending) if (!t.done) this.emit(ctx, t, null);
    this.pending.length = 0;
  }

  private newTx(ctx: AnalyzerContext, isOrig: boolean, m: CoapMessage): Tx {
    const p = ctx.packet;
    return { tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, fromOrig: isOrig, msg: m, uri: uriOf(m.uriPath, m.uriQuery), lastResponseMid: -1, done: false };
  }

  private add(ctx: AnalyzerContext, t: Tx): void {
    if (this.pending.length >= MAX_PENDING) {
      const old = this.pending.shift()!;
      if (!old.done) this.emit(ctx, old, null);
    }
    this.pending.push(t);
  }

  private empty(ctx: AnalyzerContext, isOrig: boolean, m: CoapMessage): void {
    // A CON Empty is a ping (§4.3), answered by an RST.
    if (m.type === TYPE_CON) {
      if (this.find(isOrig, m.mid, null) === -1) this.add(ctx, this.newTx(ctx, isOrig, m));
      return;
    }
    if (m.type !== TYPE_RST) return;
    const i = this.find(!isOrig, m.mid, null);
    if (i < 0) return;
    const t = this.pending[i];
    this.pending.splice(i, 1);
    if (!t.done) this.emit(ctx, t, m);
  }

  private request(ctx: AnalyzerContext, isOrig: boolean, m: CoapMessage, buf: Uint8Array): void {
    // A retransmission (§4.2) repeats the message id: one exchange.
    if (this.find(isOrig, m.mid, m.token) >= 0) return;
    const t = this.newTx(ctx, isOrig, m);
    if (m.code === POST && m.uriPath.length === 1 && m.uriPath[0] === LWM2M_REGISTER_PATH && m.payloadLen > 0) {
      t.links = parseLinkFormat(buf, m.payloadOff, m.payloadLen);
    }
    this.add(ctx, t);
  }

  private response(ctx: AnalyzerContext, isOrig: boolean, m: CoapMessage, buf: Uint8Array): void {
    const i = m.type === TYPE_ACK ? this.find(!isOrig, m.mid, m.token) : this.findToken(!isOrig, m.token);
    if (i < 0) {
      // No request seen (capture began later, or a notification of an older registration).
      const t = this.newTx(ctx, !isOrig, m);
      this.emit(ctx, t, null);
      return;
    }
    const t = this.pending[i];
    if (t.lastResponseMid === m.mid) return;
    t.lastResponseMid = m.mid;
    if (t.uri === WELL_KNOWN_CORE && codeClass(m.code) === CLASS_SUCCESS) this.wellKnown(t, m, buf);
    const observing = t.msg.observe === OBSERVE_REGISTER && m.observe !== undefined;
    if (!observing) this.pending.splice(i, 1);
    this.emit(ctx, t, m);
    t.done = true;
    t.links = undefined;
  }

  /** Collects a /.well-known/core answer, block by block, and reads its links at the last block. */
  private wellKnown(t: Tx, m: CoapMessage, buf: Uint8Array): void {
    if (m.contentFormat !== undefined && m.contentFormat !== CF_LINK_FORMAT) return;
    const b = m.block2;
    if (b === undefined) {
      t.links = parseLinkFormat(buf, m.payloadOff, m.payloadLen);
      return;
    }
    if (b.num === 0) {
      this.wkc ??= new Uint8Array(MAX_WKC_BYTES);
      this.wkcLen = 0;
      this.wkcNext = 0;
    }
    if (this.wkc === null || b.num !== this.wkcNext) return;
    const n = Math.min(m.payloadLen, MAX_WKC_BYTES - this.wkcLen);
    this.wkc.set(buf.subarray(m.payloadOff, m.payloadOff + n), this.wkcLen);
    this.wkcLen += n;
    this.wkcNext++;
    if (!b.more || this.wkcLen >= MAX_WKC_BYTES) {
      t.links = parseLinkFormat(this.wkc, 0, this.wkcLen);
      this.wkc = null;
      this.wkcLen = 0;
    }
  }

  /** Pending exchange from `fromOrig` with message id `mid` (and token, when given). */
  private find(fromOrig: boolean, mid: number, token: string | null): number {
    const p = this.pending;
    for (let i = p.length - 1; i >= 0; i--) if (p[i].fromOrig === fromOrig && p[i].msg.mid === mid && (token === null || p[i].msg.token === token)) return i;
    return -1;
  }

  private findToken(fromOrig: boolean, token: string): number {
    const p = this.pending;
    for (let i = p.length - 1; i >= 0; i--) if (p[i].fromOrig === fromOrig && p[i].msg.token === token && p[i].msg.code !== CODE_EMPTY) return i;
    return -1;
  }

  /** `res`: the response or RST paired with the request, or null. */
  private emit(ctx: AnalyzerContext, t: Tx, res: CoapMessage | null): void {
    const q = t.msg;
    const isRequest = codeClass(q.code) === CLASS_REQUEST;
    const ev: CoapTransactionEvent = {
      type: 'coap.transaction',
      ts_sec: t.tsSec,
      ts_nsec: t.tsNsec,
      packet: t.packet,
      request_is_orig: t.fromOrig,
      msg_type: TYPE_NAMES[q.type],
      code: codeText(q.code),
      message_id: q.mid,
      token: q.token,
      answered: !isRequest || (res !== null && res.code !== CODE_EMPTY),
    };
    if (isRequest && q.code !== CODE_EMPTY) ev.uri = t.uri;
    if (q.uriHost !== undefined) ev.host = q.uriHost;
    if (q.uriPort !== undefined) ev.port = q.uriPort;
    const cf = res?.contentFormat ?? q.contentFormat;
    if (cf !== undefined) ev.content_format = contentFormatText(cf);
    const obs = res?.observe ?? q.observe;
    if (obs !== undefined) ev.observe = obs;
    const b1 = blockText(res?.block1 ?? q.block1);
    if (b1 !== undefined) ev.block1 = b1;
    const b2 = blockText(res?.block2 ?? q.block2);
    if (b2 !== undefined) ev.block2 = b2;
    if (res !== null) {
      ev.response_type = TYPE_NAMES[res.type];
      if (res.code !== CODE_EMPTY) ev.response_code = codeText(res.code);
    }
    if (t.links !== undefined && t.links.length > 0) {
      ev.resources = t.links.map((l) => l.target);
      const rt = new Set<string>();
      const ifs = new Set<string>();
      for (const l of t.links) {
        for (const v of l.rt) rt.add(v);
        for (const v of l.if) ifs.add(v);
      }
      if (rt.size > 0) ev.resource_types = [...rt];
      if (ifs.size > 0) ev.interfaces = [...ifs];
    }
    if (q.code === POST && q.uriPath.length === 1 && q.uriPath[0] === LWM2M_REGISTER_PATH) {
      const r = lwm2mRegistration(q.uriQuery);
      if (r.endpoint !== undefined) {
        ev.lwm2m_endpoint = r.endpoint;
        if (r.version !== undefined) ev.lwm2m_version = r.version;
        if (r.lifetime !== undefined) ev.lwm2m_lifetime = r.lifetime;
        if (r.binding !== undefined) ev.lwm2m_binding = r.binding;
      }
    }
    ctx.emit(ev);
  }
}
