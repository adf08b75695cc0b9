// mqtt_connect.log, mqtt_publish.log and mqtt_subscribe.log with Zeek's fields
// (base/protocols/mqtt/main.zeek). Differences, on purpose: mqtt_connect adds `username` and
// `password` ("<redacted>" when one was sent); mqtt_publish omits Zeek's `payload` and
// mqtt_connect its `will_payload` (in a hospital these may carry patient data), keeping
// `payload_len`.
import { REDACTED } from '../secret.js';
import type { LogMapper } from '../logs.js';
import type { MqttConnect, MqttPublish, MqttSubscribe } from './events.js';
import { connHeader } from '../connid.js';

export const MQTT_LOGS: Record<string, LogMapper> = {
  'mqtt.connect': (e, c) => {
    if (c === null) return null;
    const ev = e as MqttConnect;
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
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
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
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
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
    rec.action = ev.action;
    rec.topics = ev.topics;
    if (ev.qos_levels !== undefined) rec.qos_levels = ev.qos_levels;
    if (ev.granted_qos_level !== undefined) rec.granted_qos_level = ev.granted_qos_level;
    rec.ack = ev.ack;
    return { log: 'mqtt_subscribe', record: rec };
  },
};
