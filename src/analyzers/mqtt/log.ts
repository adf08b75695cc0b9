// mqtt_connect.log, mqtt_publish.log and mqtt_subscribe.log with Zeek's fields
// (base/protocols/mqtt/main.zeek). Differences, on purpose: mqtt_connect adds `username` and
// `password` ("<redacted>" when one was sent); mqtt_publish omits Zeek's `payload` and
// mqtt_connect its `will_payload` (in a hospital these may carry patient data), keeping
// `payload_len`.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import type { Conn } from '../../flow/conn.js';
import { formatTime } from '../../report/logwriter.js';
import { REDACTED } from '../secret.js';
import type { LogMapper } from '../logs.js';
import type { MqttConnect, MqttPublish, MqttSubscribe } from './events.js';

function base(c: Conn, tsSec: number, tsNsec: number): Record<string, unknown> {
  return {
    ts: Number(formatTime(tsSec, tsNsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
  };
}

export const MQTT_LOGS: Record<string, LogMapper> = {
  'mqtt.connect': (e, c) => {
    if (c === null) return null;
    const ev = e as MqttConnect;
    const rec = base(c, ev.tsSec, ev.tsNsec);
    rec.proto_name = ev.proto_name;
    rec.proto_version = ev.proto_version;
    rec.client_id = ev.client_id;
    if (ev.connect_status !== undefined) rec.connect_status = ev.connect_status;
    if (ev.will_topic !== undefined) rec.will_topic = ev.will_topic;
    if (ev.username !== undefined) rec.username = ev.username;
    if (ev.has_password) rec.password = REDACTED;
    return { log: 'mqtt_connect', record: rec };
  },
  'mqtt.publish': (e, c) => {
    if (c === null) return null;
    const ev = e as MqttPublish;
    const rec = base(c, ev.tsSec, ev.tsNsec);
    rec.from_client = ev.from_client;
    rec.retain = ev.retain;
    rec.qos = ev.qos;
    rec.status = ev.status;
    rec.topic = ev.topic;
    rec.payload_len = ev.payload_len;
    return { log: 'mqtt_publish', record: rec };
  },
  'mqtt.subscribe': (e, c) => {
    if (c === null) return null;
    const ev = e as MqttSubscribe;
    const rec = base(c, ev.tsSec, ev.tsNsec);
    rec.action = ev.action;
    rec.topics = ev.topics;
    if (ev.qos_levels !== undefined) rec.qos_levels = ev.qos_levels;
    if (ev.granted_qos_level !== undefined) rec.granted_qos_level = ev.granted_qos_level;
    rec.ack = ev.ack;
    return { log: 'mqtt_subscribe', record: rec };
  },
};
