// Per-flow AMQP 0-9-1 state: each direction framed by its frame headers (PduStream), the
// connection's handshake read — the server's Connection.Start (product, version, platform,
// mechanisms), the client's Start-Ok (its own properties, mechanism, user; the password only as
// a keyed digest, for the default-credential check), Tune (authentication passed) or Close
// (refused), Open (virtual host) — then what the connection carries, counted and bounded. One
// amqp.session event when the connection ends; software events for both ends' products; a
// `credential` event when a password went by in clear. A message whose body is an HL7 v2 ER7
// message (an HL7 media type, or an untyped or text/plain body starting with "MSH") is read as
// HL7 is over MLLP — patient data through a broker without TLS — and becomes an hl7.message
// event of the connection (transport "amqp"), as HL7 over HTTP does.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduStream, type PduSink } from '../framing.js';
import { origHost, respHost } from '../connid.js';
import { secretDigest } from '../secret.js';
import { hl7Events } from '../hl7/analyzer.js';
import { HL7_MEDIA_TYPES, Hl7Body } from '../hl7/tap.js';
import type { AmqpSession } from './events.js';
import {
  Args,
  CLASS_BASIC,
  CLASS_CHANNEL,
  CLASS_CONNECTION,
  CLASS_EXCHANGE,
  CLASS_QUEUE,
  FRAME_BODY,
  FRAME_HEADER,
  FRAME_HEADER_LEN,
  FRAME_METHOD,
  MAX_FRAME,
  METHODS,
  frameLength,
  headerVersion,
  isAmqp1,
  isProtocolHeader,
  frameOk,
  parseResponse,
} from './parse.js';

/** Names kept per list (exchanges, queues, routing keys, content types, methods). */
const MAX_NAMES = 16;
/** RabbitMQ's reply code for a refused login (ACCESS_REFUSED). */
const ACCESS_REFUSED = 403;
/** Content-header property flag of content-type (§4.2.6.1: the first property, bit 15). */
const PROP_CONTENT_TYPE = 0x8000;

const id = (cls: number, method: number): number => cls * 65536 + method;
const START = id(CLASS_CONNECTION, 10);
const START_OK = id(CLASS_CONNECTION, 11);
const TUNE = id(CLASS_CONNECTION, 30);
const OPEN = id(CLASS_CONNECTION, 40);
const OPEN_OK = id(CLASS_CONNECTION, 41);
const CLOSE = id(CLASS_CONNECTION, 50);
const CHANNEL_OPEN = id(CLASS_CHANNEL, 10);
const CHANNEL_CLOSE = id(CLASS_CHANNEL, 40);
const EXCHANGE_DECLARE = id(CLASS_EXCHANGE, 10);
const QUEUE_DECLARE = id(CLASS_QUEUE, 10);
const QUEUE_BIND = id(CLASS_QUEUE, 20);
const BASIC_CONSUME = id(CLASS_BASIC, 20);
const BASIC_PUBLISH = id(CLASS_BASIC, 40);
const BASIC_DELIVER = id(CLASS_BASIC, 60);
const BASIC_GET = id(CLASS_BASIC, 70);
const BASIC_GET_OK = id(CLASS_BASIC, 71);

const HL7_TYPES = new Set(HL7_MEDIA_TYPES);
/** Types whose bodies count as HL7 only when they start with "MSH" (brokers often carry untyped bodies). */
const SNIFFED_TYPES = new Set(['', 'text/plain', 'application/octet-stream']);

/** A message body on its way in one direction: how much is still to come, and its HL7 reader if any. */
class Body {
  /** The method the content belongs to: a client's Basic.Publish, or the broker's Deliver/Get-Ok. */
  delivered = false;
  remain = 0;
  hl7: Hl7Body | null = null;
}

function addName(list: string[], v: string): void {
  if (v !== '' && list.length < MAX_NAMES && !list.includes(v)) list.push(v);
}

export class AmqpAnalyzer implements FlowAnalyzer, PduSink {
  private readonly streams = [new PduStream(MAX_FRAME), new PduStream(MAX_FRAME)];
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;
  private confirmed = false;
  private rec: AmqpSession | null = null;
  /** AMQP 1.0: recognised by its header, its frames left alone. */
  private amqp1 = false;
  private credential: Record<string, unknown> | null = null;
  private readonly bodies = [new Body(), new Body()];
  private readonly args = new Args(new Uint8Array(0), 0, 0);

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.amqp1) return;
    this.ctx = ctx;
    this.isOrig = isOrig;
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    if (!s.feed(buf, off, len, this)) ctx.weird('amqp.bad_frame');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams[isOrig ? 0 : 1].reset();
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    return frameLength(buf, off, len);
  }

  private session(midstream: boolean): AmqpSession {
    if (this.rec !== null) return this.rec;
    const p = this.ctx!.packet;
    this.rec = {
      type: 'amqp.session',
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      packet: p.packetNo,
      has_password: false,
      opened: false,
      methods: [],
      channels: 0,
      exchanges: [],
      queues: [],
      routing_keys: [],
      publishes: 0,
      deliveries: 0,
      content_types: [],
      body_bytes: 0,
      midstream,
    };
    return this.rec;
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx!.confirm('amqp');
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    if (isProtocolHeader(buf, off, len)) {
      const v = headerVersion(buf, off);
      if (this.isOrig) {
        const r = this.session(false);
        r.version = v;
        this.confirm();
        if (isAmqp1(v)) this.amqp1 = true;
      } else if (this.rec !== null) this.rec.version_refused = true;
      return;
    }
    if (!frameOk(buf, off, len)) {
      ctx.weird('amqp.bad_frame_end');
      this.streams[this.isOrig ? 0 : 1].reset();
      return;
    }
    const r = this.session(true);
    const type = buf[off];
    const p = off + FRAME_HEADER_LEN;
    const n = len - FRAME_HEADER_LEN - 1;
    if (type === FRAME_METHOD) this.method(ctx, r, buf, p, n);
    else if (type === FRAME_HEADER) this.contentHeader(r, buf, p, n);
    else if (type === FRAME_BODY) this.body(ctx, r, buf, p, n);
  }

  private method(ctx: AnalyzerContext, r: AmqpSession, b: Uint8Array, off: number, len: number): void {
    if (len < 4) {
      ctx.weird('amqp.short_method');
      return;
    }
    const a = this.args.reset(b, off, off + len);
    const m = id(a.short(), a.short());
    const name = METHODS[m];
    if (name === undefined) {
      ctx.weird('amqp.unknown_method');
      return;
    }
    this.confirm();
    addName(r.methods, name);
    switch (m) {
      case START: {
        if (this.isOrig) return;
        r.midstream = false;
        a.octet();
        a.octet();
        const props = a.table();
        const mechanisms = a.longstr();
        if (a.bad) ctx.weird('amqp.bad_start');
        r.server_product = props.get('product');
        r.server_version = props.get('version');
        r.server_platform = props.get('platform');
        r.cluster_name = props.get('cluster_name');
        r.mechanisms = mechanisms.split(' ').filter((x) => x !== '');
        this.software(ctx, false, r.server_product, r.server_version);
        return;
      }
      case START_OK: {
        if (!this.isOrig) return;
        const props = a.table();
        const mechanism = a.shortstr();
        const [at, n] = a.longstrAt();
        r.client_product = props.get('product');
        // py-amqp (Celery's kombu) names it product_version.
        r.client_version = props.get('version') ?? props.get('product_version');
        r.client_platform = props.get('platform');
        r.connection_name = props.get('connection_name');
        r.mechanism = mechanism;
        this.software(ctx, true, r.client_product, r.client_version);
        const resp = a.bad ? null : parseResponse(mechanism, b, at, n);
        if (resp === null) return;
        if (resp.user !== '') r.user = resp.user;
        if (resp.passwordAt === null || resp.passwordAt[1] === 0) return;
        r.has_password = true;
        const c = ctx.conn;
        this.credential = {
          type: 'credential',
          protocol: 'amqp',
          server: respHost(c),
          server_p: c.rPort,
          client: origHost(c),
          user: resp.user,
          mechanism,
          secret: secretDigest(b.subarray(resp.passwordAt[0], resp.passwordAt[0] + resp.passwordAt[1])),
          packet: ctx.packet.packetNo,
        };
        return;
      }
      case TUNE:
        // The server tunes only a connection whose client it authenticated (§1.4.2.5).
        if (!this.isOrig && r.auth_success === undefined && r.mechanism !== undefined) {
          r.auth_success = true;
          this.emitCredential(ctx, true);
        }
        return;
      case OPEN:
        if (this.isOrig) r.vhost = a.shortstr();
        return;
      case OPEN_OK:
        r.opened = true;
        return;
      case CLOSE: {
        const code = a.short();
        const text = a.shortstr();
        if (r.close_code === undefined) {
          r.close_code = code;
          if (text !== '') r.close_text = text;
        }
        if (!this.isOrig && code === ACCESS_REFUSED && r.auth_success === undefined && r.mechanism !== undefined) {
          r.auth_success = false;
          this.emitCredential(ctx, false);
        }
        return;
      }
      case CHANNEL_OPEN:
        if (this.isOrig) r.channels++;
        return;
      case CHANNEL_CLOSE:
        return;
      case EXCHANGE_DECLARE:
        a.short();
        addName(r.exchanges, a.shortstr());
        return;
      case QUEUE_DECLARE:
      case BASIC_CONSUME:
      case BASIC_GET:
        a.short();
        addName(r.queues, a.shortstr());
        return;
      case QUEUE_BIND:
        a.short();
        addName(r.queues, a.shortstr());
        addName(r.exchanges, a.shortstr());
        addName(r.routing_keys, a.shortstr());
        return;
      case BASIC_PUBLISH:
        this.bodies[this.isOrig ? 0 : 1].delivered = false;
        r.publishes++;
        a.short();
        addName(r.exchanges, a.shortstr());
        addName(r.routing_keys, a.shortstr());
        return;
      case BASIC_DELIVER:
        this.bodies[this.isOrig ? 0 : 1].delivered = true;
        r.deliveries++;
        a.shortstr(); // consumer tag
        a.skip(9); // delivery tag, redelivered
        addName(r.exchanges, a.shortstr());
        addName(r.routing_keys, a.shortstr());
        return;
      case BASIC_GET_OK:
        this.bodies[this.isOrig ? 0 : 1].delivered = true;
        r.deliveries++;
        a.skip(9);
        addName(r.exchanges, a.shortstr());
        addName(r.routing_keys, a.shortstr());
        return;
      default:
    }
  }

  /** Content header (§4.2.6): class, weight, body size (8), property flags, then the properties in flag order. */
  private contentHeader(r: AmqpSession, b: Uint8Array, off: number, len: number): void {
    const a = this.args.reset(b, off, off + len);
    a.skip(4);
    const size = a.long() * 2 ** 32 + a.long();
    const flags = a.short();
    if (a.bad) return;
    const type = (flags & PROP_CONTENT_TYPE) !== 0 ? a.shortstr() : '';
    addName(r.content_types, type);
    const body = this.bodies[this.isOrig ? 0 : 1];
    body.remain = size;
    const t = type.toLowerCase();
    const hl7 = HL7_TYPES.has(t);
    body.hl7 = size > 0 && (hl7 || SNIFFED_TYPES.has(t)) ? new Hl7Body(!hl7, 'amqp') : null;
  }

  private body(ctx: AnalyzerContext, r: AmqpSession, b: Uint8Array, off: number, len: number): void {
    r.body_bytes += len;
    const body = this.bodies[this.isOrig ? 0 : 1];
    const tap = body.hl7;
    if (tap === null) return;
    tap.add(b, off, len);
    body.remain -= len;
    if (body.remain > 0) return;
    body.hl7 = null;
    const s = tap.summary(ctx);
    if (s === null) return;
    for (const ev of hl7Events(ctx, s, this.isOrig, s.truncated, s.packet)) {
      ev.transport = 'amqp';
      // Published by its sender, or delivered by the broker (which only relays it).
      ev.relayed = body.delivered;
      ctx.emit(ev);
    }
  }

  private software(ctx: AnalyzerContext, client: boolean, product: string | undefined, version: string | undefined): void {
    if (product === undefined || product === '') return;
    const c = ctx.conn;
    const unparsed = version !== undefined && version !== '' ? `${product} ${version}` : product;
    if (client) ctx.emit({ type: 'software', host: origHost(c), software_type: 'AMQP::CLIENT', unparsed_version: unparsed });
    else ctx.emit({ type: 'software', host: respHost(c), host_p: c.rPort, software_type: 'AMQP::SERVER', unparsed_version: unparsed });
  }

  private emitCredential(ctx: AnalyzerContext, success: boolean | null): void {
    const cr = this.credential;
    if (cr === null) return;
    this.credential = null;
    if (success !== null) cr.success = success;
    ctx.emit(cr as { type: string });
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.emitCredential(ctx, null);
    if (this.rec === null) return;
    ctx.emit(this.rec);
    this.rec = null;
  }
}
