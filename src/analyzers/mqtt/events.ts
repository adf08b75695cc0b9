// Typed events of the MQTT analyzer, shaped like Zeek's mqtt_connect/publish/subscribe records.
// No password (only its digest, in mqtt.credential) and no publish payload (only its length).

/** A CONNECT and its CONNACK (emitted at the CONNACK, or at the end without one). */
export interface MqttConnect {
  type: 'mqtt.connect';
  tsSec: number;
  tsNsec: number;
  proto_name: string;
  proto_version: string;
  client_id: string;
  clean_session: boolean;
  username?: string;
  has_password: boolean;
  will_topic?: string;
  connect_status?: string;
  accepted?: boolean;
  packet: number;
  [k: string]: unknown;
}

export interface MqttPublish {
  type: 'mqtt.publish';
  tsSec: number;
  tsNsec: number;
  from_client: boolean;
  retain: boolean;
  qos: string;
  /** "ok" once the QoS handshake completed, else "incomplete_qos". */
  status: string;
  topic: string;
  payload_len: number;
  [k: string]: unknown;
}

export interface MqttSubscribe {
  type: 'mqtt.subscribe';
  tsSec: number;
  tsNsec: number;
  action: 'MQTT::SUBSCRIBE' | 'MQTT::UNSUBSCRIBE';
  topics: string[];
  qos_levels?: number[];
  granted_qos_level?: number;
  ack: boolean;
  [k: string]: unknown;
}

/** A CONNECT carried a password in clear. */
export interface MqttCredential {
  type: 'mqtt.credential';
  server: string;
  server_p: number;
  client: string;
  user: string;
  /** secretDigest(password), never logged. */
  secret: string;
  packet: number;
  [k: string]: unknown;
}
