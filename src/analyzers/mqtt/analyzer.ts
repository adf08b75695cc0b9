// Per-flow MQTT state: frames control packets per direction (whole packets up to 64 KiB; of
// larger ones only the first 64 KiB, enough for a PUBLISH topic), tracks CONNECT/CONNACK,
// PUBLISH QoS handshakes and SUBSCRIBE acknowledgements, and emits Zeek-shaped records. The
// password becomes a keyed digest at once; publish payloads are counted, never kept.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import {
  CONNACK,
  CONNECT,
  LEVEL_311,
  PINGREQ,
  PINGRESP,
  PUBACK,
  PUBCOMP,
  PUBLISH,
  PUBREC,
  PUBREL,
  QOS_NAMES,
  SUBACK,
  SUBSCRIBE,
  UNSUBACK,
  UNSUBSCRIBE,
  connectStatus,
  parseConnack,
  parseConnect,
  parseFixedHeader,
  parsePacketId,
  parsePublish,
  parseSuback,
  parseSubscribe,
  versionName,
} from './parse.js';

const MAX_KEEP = 64 * 1024;
/** Publishes/subscriptions awaiting their acknowledgement, per flow. */
const MAX_PENDING = 256;

interface Pending {
  ev: Record<string, unknown>;
  qos: number;
  rec: boolean;
  rel: boolean;
}

class Side {
  buf = new Uint8Array(0);
  len = 0;
  /** Bytes of an oversized packet still to discard. */
  skip = 0;
}

export class MqttAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private level = LEVEL_311;
  private connect: Record<string, unknown> | null = null;
  private connectLogged = false;
  /** Keyed by direction and packet id: ids are per sender (§2.3.1). */
  private readonly publishes = new Map<string, Pending>();
  private readonly subscribes = new Map<number, Record<string, unknown>>();
  private broken = false;
  /** Which side sent a PINGREQ (0 none yet, 1 originator, 2 responder): its PINGRESP confirms MQTT. */
  private pingFrom = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const s = this.sides[isOrig ? 0 : 1];
    let p = off;
    const end = off + len;
    if (s.skip > 0) {
      const n = Math.min(s.skip, len);
      s.skip -= n;
      p += n;
    }
    // Work on carried bytes plus this chunk without copying when nothing is carried.
    let b = buf;
    let o = p;
    let l = end - p;
    if (s.len > 0) {
      b = concat(s.buf.subarray(0, s.len), buf.subarray(p, end));
      o = 0;
      l = b.length;
      s.len = 0;
    }
    while (l > 0) {
      const h = parseFixedHeader(b, o, l);
      if (h === 'need_more') break;
      if (h === 'bad') {
        ctx.weird('mqtt.bad_header');
        this.broken = true;
        return;
      }
      const total = h.headerLen + h.remaining;
      if (total <= l) {
        this.packet(ctx, isOrig, h.type, h.flags, b, o + h.headerLen, h.remaining, h.remaining);
        o += total;
        l -= total;
        continue;
      }
      if (total > MAX_KEEP && l >= MAX_KEEP) {
        // Too big to buffer: read what we have, skip the rest as it arrives.
        this.packet(ctx, isOrig, h.type, h.flags, b, o + h.headerLen, l - h.headerLen, h.remaining);
        s.skip = total - l;
        l = 0;
      }
      break;
    }
    if (l > 0) {
      if (s.buf.length < l) s.buf = new Uint8Array(Math.max(l, 256));
      s.buf.set(b.subarray(o, o + l), 0);
      s.len = l;
    }
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // Framing is lost with the bytes: MQTT has no resynchronisation marker.
    const s = this.sides[isOrig ? 0 : 1];
    s.len = 0;
    s.skip = 0;
    this.broken = true;
  }

  end(ctx: AnalyzerContext): void {
    this.logConnect(ctx);
    for (const p of this.publishes.values()) ctx.emit(p.ev as { type: string });
    this.publishes.clear();
    for (const s of this.subscribes.values()) ctx.emit(s as { type: string });
    this.subscribes.clear();
  }

  private stamp(ctx: AnalyzerContext): { tsSec: number; tsNsec: number } {
    return { tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec };
  }

  private packet(ctx: AnalyzerContext, isOrig: boolean, type: number, flags: number, b: Uint8Array, o: number, avail: number, remaining: number): void {
    if (type === CONNECT && isOrig) {
      const c = parseConnect(b, o, avail);
      if (c === 'bad') {
        ctx.weird('mqtt.bad_connect');
        return;
      }
      this.level = c.level;
      ctx.confirm('mqtt');
      const ev: Record<string, unknown> = {
        type: 'mqtt.connect',
        ...this.stamp(ctx),
        proto_name: c.protoName,
        proto_version: versionName(c.level),
        client_id: c.clientId,
        clean_session: c.cleanSession,
        has_password: c.hasPassword,
        packet: ctx.packet.packetNo,
      };
      if (c.willTopic !== undefined) ev.will_topic = c.willTopic;
      if (c.username !== undefined) ev.username = c.username;
      this.connect = ev;
      this.connectLogged = false;
      if (c.passwordAt !== undefined) {
        const conn = ctx.conn;
        ctx.emit({
          type: 'mqtt.credential',
          server: formatAddr(conn.r0, conn.r1, conn.r2, conn.r3),
          server_p: conn.rPort,
          client: formatAddr(conn.o0, conn.o1, conn.o2, conn.o3),
          user: c.username ?? '',
          secret: secretDigest(b.subarray(c.passwordAt[0], c.passwordAt[0] + c.passwordAt[1])),
          packet: ctx.packet.packetNo,
        });
      }
    } else if (type === CONNACK && !isOrig) {
      const a = parseConnack(b, o, avail);
      if (a === 'bad' || this.connect === null) return;
      this.connect.connect_status = connectStatus(this.level, a.code);
      this.connect.accepted = a.code === 0;
      this.logConnect(ctx);
    } else if (type === PUBLISH) {
      const m = parsePublish(flags, b, o, avail, remaining, this.level);
      if (m === 'bad') {
        ctx.weird('mqtt.bad_publish');
        return;
      }
      ctx.confirm('mqtt');
      const ev: Record<string, unknown> = {
        type: 'mqtt.publish',
        ...this.stamp(ctx),
        from_client: isOrig,
        retain: m.retain,
        qos: QOS_NAMES[m.qos],
        status: m.qos === 0 ? 'ok' : 'incomplete_qos',
        topic: m.topic,
        payload_len: m.payloadLen,
      };
      if (m.qos === 0 || m.packetId === undefined) ctx.emit(ev as { type: string });
      else {
        const key = `${isOrig ? 'o' : 'r'}${m.packetId}`;
        const old = this.publishes.get(key);
        if (old !== undefined) ctx.emit(old.ev as { type: string });
        if (this.publishes.size < MAX_PENDING || old !== undefined) this.publishes.set(key, { ev, qos: m.qos, rec: false, rel: false });
        else ctx.emit(ev as { type: string });
      }
    } else if (type === PUBACK || type === PUBREC || type === PUBREL || type === PUBCOMP) {
      const id = parsePacketId(b, o, avail);
      if (id === 'bad') return;
      // Acknowledgements flow against the publish (PUBREL follows the publisher's direction).
      const key = `${(type === PUBREL ? isOrig : !isOrig) ? 'o' : 'r'}${id}`;
      const p = this.publishes.get(key);
      if (p === undefined) return;
      if (type === PUBACK && p.qos === 1) this.donePublish(ctx, key, p);
      else if (type === PUBREC) p.rec = true;
      else if (type === PUBREL) p.rel = true;
      else if (type === PUBCOMP && p.qos === 2 && p.rec && p.rel) this.donePublish(ctx, key, p);
    } else if ((type === SUBSCRIBE || type === UNSUBSCRIBE) && isOrig) {
      const m = parseSubscribe(type === UNSUBSCRIBE, b, o, avail, this.level);
      if (m === 'bad') {
        ctx.weird('mqtt.bad_subscribe');
        return;
      }
      ctx.confirm('mqtt');
      const ev: Record<string, unknown> = {
        type: 'mqtt.subscribe',
        ...this.stamp(ctx),
        action: type === SUBSCRIBE ? 'MQTT::SUBSCRIBE' : 'MQTT::UNSUBSCRIBE',
        topics: m.topics,
        ack: false,
      };
      if (type === SUBSCRIBE) ev.qos_levels = m.qos;
      const old = this.subscribes.get(m.packetId);
      if (old !== undefined) ctx.emit(old as { type: string });
      if (this.subscribes.size < MAX_PENDING || old !== undefined) this.subscribes.set(m.packetId, ev);
      else ctx.emit(ev as { type: string });
    } else if (type === PINGREQ && remaining === 0) {
      this.pingFrom = isOrig ? 1 : 2;
    } else if (type === PINGRESP && remaining === 0) {
      // A keep-alive answered: all a session caught mid-way may show for minutes (§3.1.2.10).
      if (this.pingFrom === (isOrig ? 2 : 1)) ctx.confirm('mqtt');
    } else if ((type === SUBACK || type === UNSUBACK) && !isOrig) {
      const a = type === SUBACK ? parseSuback(b, o, avail, this.level) : parsePacketId(b, o, avail);
      if (a === 'bad') return;
      const id = typeof a === 'number' ? a : a.packetId;
      const ev = this.subscribes.get(id);
      if (ev === undefined) return;
      ev.ack = true;
      if (typeof a !== 'number' && a.granted.length > 0) ev.granted_qos_level = a.granted[0];
      this.subscribes.delete(id);
      ctx.emit(ev as { type: string });
    }
  }

  private donePublish(ctx: AnalyzerContext, key: string, p: Pending): void {
    p.ev.status = 'ok';
    this.publishes.delete(key);
    ctx.emit(p.ev as { type: string });
  }

  private logConnect(ctx: AnalyzerContext): void {
    if (this.connect === null || this.connectLogged) return;
    this.connectLogged = true;
    ctx.emit(this.connect as { type: string });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
