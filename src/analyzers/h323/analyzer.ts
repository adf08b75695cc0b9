// Per-flow H.323 state. On UDP (RAS, H.225.0 §7.1 … §7.16), each datagram is a RasMessage:
// requests wait in a bounded table keyed by requestSeqNum and their sender's side until the
// other side's confirm or reject, then one h323.ras event reports the pair (an unanswered one when
// the flow ends or the table is full). On TCP (call signalling, H.225.0 §7.3), the stream is cut
// into TPKTs, each a Q.931 message whose User-user element carries the H.225.0 PDU; one h323.call
// event reports the connection when it ends. The endpoint's product and version also go out as a
// `software` event. A PER decode that meets damage is the weird h323.per_error; a structure the
// decoder does not open stops it quietly.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary, origHost, respHost } from '../connid.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import type { EndpointFields, H323Call, H323Ras } from './events.js';
import { ARQ, BODY_NAMES, GRQ, IRQ, IRR, RAI, RAS_NAMES, RIP, RRQ, SCI, URQ, BRQ, DRQ, LRQ, decodeRas, decodeUserInformation, type Aliases, type Endpoint, type RasMessage, type UuPdu, type Vendor } from './h225.js';
import { PerReader } from './per.js';
import { TPKT_HEADER_LEN, parseQ931, q931MessageName, tpktLength } from './q931.js';
import { manufacturerOf, t35Key } from './vendors.js';
import { evictOldest } from '../../util/evict.js';

/** TPKT's 16-bit length bounds a message. */
const MAX_TPKT = 65535;
/** Requests awaiting an answer per flow; the oldest is reported unanswered when more arrive. */
const MAX_PENDING = 64;
const MAX_NAMES = 32;
/** Requests whose answer is the next alternative (confirm) or the one after (reject). */
const PAIRED_REQUESTS = new Set([GRQ, RRQ, URQ, ARQ, BRQ, DRQ, LRQ]);
/** Requests the endpoint sends (so its side is known), and the one only a gatekeeper sends. */
const FROM_ENDPOINT = new Set([GRQ, RRQ, ARQ, IRR]);

const reader = new PerReader();

function applyVendor(f: EndpointFields, v: Vendor | undefined): void {
  if (v === undefined) return;
  // An RRQ states its vendor twice (endpointVendor, terminalType's vendor): each fills what is missing.
  if (f.t35 === undefined) {
    f.t35 = t35Key(v.t35Country, v.t35Extension, v.manufacturerCode);
    const m = manufacturerOf(f.t35);
    if (m !== undefined) f.manufacturer = m;
  }
  if (v.productId !== undefined) f.product_id ??= v.productId;
  if (v.versionId !== undefined) f.version_id ??= v.versionId;
}

function applyEndpoint(f: EndpointFields, e: Endpoint | undefined): void {
  if (e === undefined) return;
  applyVendor(f, e.vendor);
  if (f.terminal_type === undefined && e.types.length > 0) f.terminal_type = e.types;
  if (e.mc) f.mc = true;
}

function applyAliases(f: EndpointFields, a: Aliases | undefined): void {
  if (a === undefined || f.h323_ids !== undefined || f.numbers !== undefined || f.other_aliases !== undefined) return;
  if (a.h323Ids.length > 0) f.h323_ids = a.h323Ids;
  if (a.numbers > 0) f.numbers = a.numbers;
  if (a.other > 0) f.other_aliases = a.other;
}

function isPerDamage(err: string | null): boolean {
  return err === 'truncated' || err === 'invalid';
}

export class H323Analyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  // RAS (UDP)
  private readonly pending = new Map<number, H323Ras>();
  private endpointIsOrig: boolean | undefined;
  private softwareSent = false;
  // Call signalling (TCP)
  private call: H323Call | null = null;
  private readonly softwareSides = [false, false];

  constructor() {
    super(MAX_TPKT, 'h323.bad_tpkt');
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    const n = tpktLength(buf, off, len);
    return n === 0 ? FRAME_NEED_MORE : n < 0 ? FRAME_BAD : n;
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx!.confirm('h323');
  }

  // --- Call signalling ---------------------------------------------------------------------

  pdu(buf: Uint8Array, off: number, len: number): void {
    // An empty TPKT is a keep-alive.
    if (len <= TPKT_HEADER_LEN) return;
    const ctx = this.ctx!;
    const q = parseQ931(buf, off, len);
    if (q === null) {
      if (this.confirmed) ctx.weird('h323.bad_q931');
      return;
    }
    let c = this.call;
    if (c === null) {
      c = this.call = { type: 'h323.call', tsSec: 0, tsNsec: 0, packet: 0, messages: 0, q931_messages: [], h225_messages: [], caller: {}, callee: {} };
      confirmSummary(ctx, c, 'h323');
      this.confirmed = true;
    }
    c.messages++;
    const qname = q931MessageName(q.type) ?? `0x${q.type.toString(16).padStart(2, '0')}`;
    if (c.q931_messages.length < MAX_NAMES && !c.q931_messages.includes(qname)) c.q931_messages.push(qname);
    // The call reference flag says which side sent it: clear from the side that placed the call.
    const fromCaller = !q.fromDestination;
    c.caller_is_orig ??= fromCaller === this.isOrig;
    if (q.cause !== undefined) c.q931_cause = q.cause;
    if (q.display) c.display = true;
    if (q.callingNumber) c.calling_number = true;
    if (q.calledNumber) c.called_number = true;
    if (q.uuOff < 0) return;
    const u = decodeUserInformation(reader, buf, q.uuOff, q.uuLen);
    if (u === null || isPerDamage(u.err)) ctx.weird('h323.per_error');
    if (u === null) return;
    this.callBody(c, u, fromCaller);
  }

  private callBody(c: H323Call, u: UuPdu, fromCaller: boolean): void {
    const name = BODY_NAMES[u.body] ?? u.name;
    if (c.h225_messages.length < MAX_NAMES && !c.h225_messages.includes(name)) c.h225_messages.push(name);
    if (u.protocolVersion !== undefined && (c.protocol_version === undefined || u.protocolVersion > c.protocol_version)) c.protocol_version = u.protocolVersion;
    const side = fromCaller ? c.caller : c.callee;
    applyEndpoint(side, u.endpoint);
    if (fromCaller) applyAliases(side, u.aliases);
    if (u.name === 'releaseComplete' && u.reason !== undefined) c.release_reason = u.reason;
    if (u.name === 'facility' && u.reason !== undefined) c.facility_reason = u.reason;
    if (u.h245Tunnelling !== undefined) c.h245_tunnelling = c.h245_tunnelling === true || u.h245Tunnelling;
    if (u.h245Control === true) c.h245_tunnelled = true;
    if (u.h245Address === true) c.h245_address = true;
    if (u.h235 !== undefined) c.h235 = c.h235 === true || u.h235;
    if (u.fastStart !== undefined) {
      if (u.name === 'setup') c.fast_start_offered = c.fast_start_offered === true || u.fastStart;
      else if (!fromCaller && u.fastStart) c.fast_start_answered = true;
    }
    const sideIndex = fromCaller ? 0 : 1;
    if (!this.softwareSides[sideIndex] && side.product_id !== undefined) {
      this.softwareSides[sideIndex] = true;
      const conn = this.ctx!.conn;
      const senderIsOrig = fromCaller === (c.caller_is_orig ?? true);
      this.software(senderIsOrig ? origHost(conn) : respHost(conn), side);
    }
  }

  private software(host: string, f: EndpointFields): void {
    const text = f.version_id !== undefined ? `${f.product_id} ${f.version_id}` : f.product_id!;
    this.ctx!.emit({ type: 'software', host, software_type: 'H323::ENDPOINT', unparsed_version: text });
  }

  // --- RAS ---------------------------------------------------------------------------------

  protected override datagram(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const m = decodeRas(reader, buf, off, len);
    if (m === null || (isPerDamage(m.err) && m.seq === undefined)) {
      // Not RAS at all: before the first good message, the flow is someone else's.
      if (!this.confirmed) ctx.release();
      else ctx.weird('h323.per_error');
      return;
    }
    this.confirm();
    if (isPerDamage(m.err)) ctx.weird('h323.per_error');
    const isOrig = this.isOrig;
    if (FROM_ENDPOINT.has(m.kind)) this.endpointIsOrig = isOrig;
    else if (m.kind === IRQ) this.endpointIsOrig = !isOrig;
    const k = m.kind;
    if (m.seq !== undefined && (PAIRED_REQUESTS.has(k) || k === IRQ || k === RAI || k === SCI)) {
      this.request(m, isOrig);
      return;
    }
    if (m.seq !== undefined && k === RIP) {
      const p = this.pending.get(key(m.seq, !isOrig));
      if (p !== undefined) p.in_progress = true;
      return;
    }
    // An answer: confirm (request + 1), reject (request + 2), IRR for IRQ, RAC for RAI, SCR for SCI.
    const reqKind = k === IRR ? IRQ : k === RAI + 1 ? RAI : k === SCI + 1 ? SCI : PAIRED_REQUESTS.has(k - 1) ? k - 1 : PAIRED_REQUESTS.has(k - 2) ? k - 2 : -1;
    if (m.seq !== undefined && reqKind >= 0) {
      const kk = key(m.seq, !isOrig);
      const p = this.pending.get(kk);
      if (p !== undefined && p.request === RAS_NAMES[reqKind]) {
        this.pending.delete(kk);
        p.reply = m.name;
        this.absorb(p, m, isOrig);
        this.emitRas(p);
        return;
      }
    }
    // Unsolicited (an IRR nobody asked for, an answer whose request the capture missed).
    const ev = this.newRas(m, isOrig);
    ev.reply = m.name;
    this.absorb(ev, m, isOrig);
    this.emitRas(ev);
  }

  private newRas(m: RasMessage, isOrig: boolean): H323Ras {
    const p = this.ctx!.packet;
    const ev: H323Ras = { type: 'h323.ras', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, is_orig: isOrig };
    if (m.seq !== undefined) ev.seq = m.seq;
    return ev;
  }

  private request(m: RasMessage, isOrig: boolean): void {
    const kk = key(m.seq!, isOrig);
    const old = this.pending.get(kk);
    if (old !== undefined && old.request === m.name) {
      old.retransmits = (old.retransmits ?? 0) + 1;
      return;
    }
    if (old !== undefined) {
      this.pending.delete(kk);
      this.emitRas(old);
    }
    if (this.pending.size >= MAX_PENDING) {
      this.emitRas(evictOldest(this.pending)![1]);
    }
    const ev = this.newRas(m, isOrig);
    ev.request = m.name;
    this.absorb(ev, m, isOrig);
    this.pending.set(kk, ev);
  }

  /** What one message adds to its transaction. */
  private absorb(ev: H323Ras, m: RasMessage, isOrig: boolean): void {
    if (m.protocolVersion !== undefined) ev.protocol_version ??= m.protocolVersion;
    // Identity only from the endpoint's own messages (an ACF's destinationType is another's).
    if (FROM_ENDPOINT.has(m.kind) || m.kind === URQ) {
      applyVendor(ev, m.endpointVendor);
      applyEndpoint(ev, m.endpoint);
      applyAliases(ev, m.aliases);
      if (!this.softwareSent && ev.product_id !== undefined) {
        this.softwareSent = true;
        const conn = this.ctx!.conn;
        this.software(isOrig ? origHost(conn) : respHost(conn), ev);
      }
    }
    if (m.gatekeeperId !== undefined && m.gatekeeperId !== '') ev.gatekeeper_id ??= m.gatekeeperId;
    if (m.endpointId !== undefined && m.endpointId !== '') ev.endpoint_id ??= m.endpointId;
    if (m.reason !== undefined) ev.reason = m.reason;
    if (m.callModel !== undefined) ev.call_model ??= m.callModel;
    if (m.keepAlive !== undefined) ev.keep_alive ??= m.keepAlive;
    if (m.h235 !== undefined) ev.h235 = ev.h235 === true || m.h235;
  }

  private emitRas(ev: H323Ras): void {
    if (this.endpointIsOrig !== undefined) ev.endpoint_is_orig = this.endpointIsOrig;
    this.ctx!.emit(ev);
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    for (const ev of this.pending.values()) this.emitRas(ev);
    this.pending.clear();
    if (this.call !== null) {
      const c = this.call;
      this.call = null;
      ctx.emit(c);
    }
  }
}

/** Pending requests by sequence number and their sender's side (each side numbers its own). */
function key(seq: number, senderIsOrig: boolean): number {
  return seq * 2 + (senderIsOrig ? 1 : 0);
}
