// MQTT control packets: MQTT 3.1.1 (OASIS, 2014) §2–3, MQTT 3.1 (IBM, protocol name "MQIsdp",
// level 3) and MQTT 5.0 (OASIS, 2019) §2–3, where properties follow the variable header.
// Pure functions from bytes to fields or a status; no value of a password leaves this file
// other than as an offset into the caller's buffer.

export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;
export const SUBSCRIBE = 8;
export const SUBACK = 9;
export const UNSUBSCRIBE = 10;
export const UNSUBACK = 11;
export const PINGREQ = 12;
export const PINGRESP = 13;
export const DISCONNECT = 14;
export const AUTH = 15;

export const LEVEL_31 = 3;
export const LEVEL_311 = 4;
export const LEVEL_5 = 5;

/** Remaining Length is at most four 7-bit groups (§2.2.3 / §1.5.5). */
const MAX_VARINT_BYTES = 4;
/** Longest topic, client id or user name kept. */
export const MAX_STRING = 256;
/** Topics kept per SUBSCRIBE/UNSUBSCRIBE. */
export const MAX_TOPICS = 32;

const FLAG_USERNAME = 0x80;
const FLAG_PASSWORD = 0x40;
const FLAG_WILL_RETAIN = 0x20;
const FLAG_WILL = 0x04;
const FLAG_CLEAN = 0x02;

export type Status = 'need_more' | 'bad';

export interface FixedHeader {
  type: number;
  flags: number;
  /** Remaining Length: bytes after the fixed header. */
  remaining: number;
  headerLen: number;
}

/** The fixed header (§2.2): type, flags, Remaining Length varint. */
export function parseFixedHeader(buf: Uint8Array, off: number, len: number): FixedHeader | Status {
  if (len < 2) return 'need_more';
  const b0 = buf[off];
  const type = b0 >> 4;
  if (type === 0) return 'bad';
  let remaining = 0;
  let mult = 1;
  for (let i = 1; i <= MAX_VARINT_BYTES; i++) {
    if (i >= len) return 'need_more';
    const b = buf[off + i];
    remaining += (b & 0x7f) * mult;
    if (!(b & 0x80)) return { type, flags: b0 & 0x0f, remaining, headerLen: i + 1 };
    mult *= 128;
  }
  return 'bad';
}

/** Reads a UTF-8 string with a two-byte length; null when it overruns. */
function str(buf: Uint8Array, p: number, end: number): { s: string; next: number } | null {
  if (p + 2 > end) return null;
  const n = (buf[p] << 8) | buf[p + 1];
  if (p + 2 + n > end) return null;
  const keep = Math.min(n, MAX_STRING);
  const s = Buffer.from(buf.buffer, buf.byteOffset + p + 2, keep).toString('utf8').replace(/[\x00-\x1f\x7f]/g, '?');
  return { s, next: p + 2 + n };
}

/** Skips an MQTT 5 property block (a varint length then that many bytes); null when it overruns. */
function skipProperties(buf: Uint8Array, p: number, end: number): number | null {
  let n = 0;
  let mult = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (p >= end) return null;
    const b = buf[p++];
    n += (b & 0x7f) * mult;
    if (!(b & 0x80)) return p + n <= end ? p + n : null;
    mult *= 128;
  }
  return null;
}

export interface Connect {
  protoName: string;
  level: number;
  cleanSession: boolean;
  keepAlive: number;
  clientId: string;
  willTopic?: string;
  willRetain?: boolean;
  username?: string;
  hasPassword: boolean;
  /** [offset, length] of the password in the buffer given: the caller digests it at once. */
  passwordAt?: [number, number];
}

/** CONNECT variable header and payload (§3.1). */
export function parseConnect(buf: Uint8Array, off: number, len: number): Connect | 'bad' {
  const end = off + len;
  const name = str(buf, off, end);
  if (name === null || name.next + 4 > end) return 'bad';
  let p = name.next;
  const level = buf[p];
  const flags = buf[p + 1];
  const keepAlive = (buf[p + 2] << 8) | buf[p + 3];
  p += 4;
  if (flags & 0x01) return 'bad'; // reserved flag must be 0 (§3.1.2.3)
  if (level === LEVEL_5) {
    const q = skipProperties(buf, p, end);
    if (q === null) return 'bad';
    p = q;
  }
  const id = str(buf, p, end);
  if (id === null) return 'bad';
  p = id.next;
  const c: Connect = { protoName: name.s, level, cleanSession: (flags & FLAG_CLEAN) !== 0, keepAlive, clientId: id.s, hasPassword: (flags & FLAG_PASSWORD) !== 0 };
  if (flags & FLAG_WILL) {
    if (level === LEVEL_5) {
      const q = skipProperties(buf, p, end);
      if (q === null) return 'bad';
      p = q;
    }
    const topic = str(buf, p, end);
    if (topic === null || topic.next + 2 > end) return 'bad';
    c.willTopic = topic.s;
    c.willRetain = (flags & FLAG_WILL_RETAIN) !== 0;
    const wl = (buf[topic.next] << 8) | buf[topic.next + 1];
    p = topic.next + 2 + wl;
    if (p > end) return 'bad';
  }
  if (flags & FLAG_USERNAME) {
    const u = str(buf, p, end);
    if (u === null) return 'bad';
    c.username = u.s;
    p = u.next;
  }
  if (flags & FLAG_PASSWORD) {
    if (p + 2 > end) return 'bad';
    const pl = (buf[p] << 8) | buf[p + 1];
    if (p + 2 + pl > end) return 'bad';
    c.passwordAt = [p + 2, pl];
  }
  return c;
}

export interface Connack {
  sessionPresent: boolean;
  /** v3.x return code or v5 reason code. */
  code: number;
}

export function parseConnack(buf: Uint8Array, off: number, len: number): Connack | 'bad' {
  if (len < 2) return 'bad';
  return { sessionPresent: (buf[off] & 1) === 1, code: buf[off + 1] };
}

export interface Publish {
  dup: boolean;
  qos: number;
  retain: boolean;
  topic: string;
  packetId?: number;
  /** Payload bytes (the whole message's, even when only a prefix was given). */
  payloadLen: number;
}

/**
 * PUBLISH (§3.3). `len` may be a prefix of the body (large messages are not buffered);
 * `remaining` is the body's full length, from which the payload length follows.
 */
export function parsePublish(flags: number, buf: Uint8Array, off: number, len: number, remaining: number, level: number): Publish | 'bad' {
  const qos = (flags >> 1) & 3;
  if (qos === 3) return 'bad';
  const end = off + len;
  const t = str(buf, off, end);
  if (t === null) return 'bad';
  let p = t.next;
  const m: Publish = { dup: (flags & 8) !== 0, qos, retain: (flags & 1) !== 0, topic: t.s, payloadLen: 0 };
  if (qos > 0) {
    if (p + 2 > end) return 'bad';
    m.packetId = (buf[p] << 8) | buf[p + 1];
    p += 2;
  }
  if (level === LEVEL_5) {
    const q = skipProperties(buf, p, end);
    if (q === null) return 'bad';
    p = q;
  }
  m.payloadLen = remaining - (p - off);
  return m.payloadLen < 0 ? 'bad' : m;
}

/** The packet identifier of PUBACK/PUBREC/PUBREL/PUBCOMP/UNSUBACK (and v5 reason code). */
export function parsePacketId(buf: Uint8Array, off: number, len: number): number | 'bad' {
  if (len < 2) return 'bad';
  return (buf[off] << 8) | buf[off + 1];
}

export interface Subscribe {
  packetId: number;
  topics: string[];
  /** Requested QoS per topic (SUBSCRIBE only). */
  qos: number[];
}

/** SUBSCRIBE (§3.8) or UNSUBSCRIBE (§3.10). */
export function parseSubscribe(unsubscribe: boolean, buf: Uint8Array, off: number, len: number, level: number): Subscribe | 'bad' {
  const end = off + len;
  if (len < 2) return 'bad';
  const s: Subscribe = { packetId: (buf[off] << 8) | buf[off + 1], topics: [], qos: [] };
  let p = off + 2;
  if (level === LEVEL_5) {
    const q = skipProperties(buf, p, end);
    if (q === null) return 'bad';
    p = q;
  }
  while (p < end) {
    const t = str(buf, p, end);
    if (t === null) return 'bad';
    p = t.next;
    let qos = 0;
    if (!unsubscribe) {
      if (p >= end) return 'bad';
      qos = buf[p++] & 3;
    }
    if (s.topics.length < MAX_TOPICS) {
      s.topics.push(t.s);
      if (!unsubscribe) s.qos.push(qos);
    }
  }
  return s.topics.length === 0 ? 'bad' : s;
}

export interface Suback {
  packetId: number;
  granted: number[];
}

/** SUBACK (§3.9): one return code per topic. */
export function parseSuback(buf: Uint8Array, off: number, len: number, level: number): Suback | 'bad' {
  const end = off + len;
  if (len < 2) return 'bad';
  let p = off + 2;
  if (level === LEVEL_5) {
    const q = skipProperties(buf, p, end);
    if (q === null) return 'bad';
    p = q;
  }
  const granted: number[] = [];
  for (; p < end && granted.length < MAX_TOPICS; p++) granted.push(buf[p]);
  return { packetId: (buf[off] << 8) | buf[off + 1], granted };
}

export const VERSION_NAMES: Record<number, string> = { [LEVEL_31]: '3.1', [LEVEL_311]: '3.1.1', [LEVEL_5]: '5.0' };

export function versionName(level: number): string {
  return VERSION_NAMES[level] ?? `unknown-version-${level}`;
}

/** CONNACK return codes (3.1.1 §3.2.2.3) as Zeek names them; v5 reason codes (5.0 §3.2.2.2). */
export function connectStatus(level: number, code: number): string {
  if (level !== LEVEL_5 || code === 0) {
    const v3 = ['Connection Accepted', 'Refused: unacceptable protocol version', 'Refused: identifier rejected', 'Refused: server unavailable', 'Refused: bad user name or password', 'Refused: not authorized'];
    return v3[code] ?? `unknown-return-code-${code}`;
  }
  const v5: Record<number, string> = {
    0x80: 'Refused: unspecified error',
    0x81: 'Refused: malformed packet',
    0x82: 'Refused: protocol error',
    0x83: 'Refused: implementation specific error',
    0x84: 'Refused: unsupported protocol version',
    0x85: 'Refused: client identifier not valid',
    0x86: 'Refused: bad user name or password',
    0x87: 'Refused: not authorized',
    0x88: 'Refused: server unavailable',
    0x89: 'Refused: server busy',
    0x8a: 'Refused: banned',
    0x8c: 'Refused: bad authentication method',
    0x90: 'Refused: topic name invalid',
    0x95: 'Refused: packet too large',
    0x97: 'Refused: quota exceeded',
    0x99: 'Refused: payload format invalid',
    0x9a: 'Refused: retain not supported',
    0x9b: 'Refused: QoS not supported',
    0x9c: 'Refused: use another server',
    0x9d: 'Refused: server moved',
    0x9f: 'Refused: connection rate exceeded',
  };
  return v5[code] ?? `unknown-return-code-${code}`;
}

export const QOS_NAMES = ['at most once', 'at least once', 'exactly once'];
