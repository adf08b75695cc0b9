// EtherNet/IP parser (CIP Vol 2 Chapter 2): the 24-octet encapsulation header (§2-3), the
// ListIdentity reply's CIP Identity item (§2-4.3.2), and in SendRRData / SendUnitData the
// Common Packet Format (§2-6) and the first CIP message's service, path and status (Vol 1
// §2-4, Appendix C EPATH); and the class 0/1 I/O datagram of implicit messaging (§2-6.3:
// a bare CPF of a Sequenced Address item and a Connected Data item, UDP port 2222). All
// multi-octet encapsulation fields are little-endian.
import { escapeBytes } from '../l2text.js';
import { FRAME_BAD, FRAME_NEED_MORE } from '../framing.js';
import { CIP_CLASSES, CIP_STATUSES, COMMANDS, DEVICE_TYPES, STATUSES, cipServiceName, hex } from './names.js';

export const ENCAP_HEADER = 24;
/** Encapsulated data is at most 65511 octets (§2-3.1). */
export const MAX_ENCAP_DATA = 65511;
export const CMD_LIST_IDENTITY = 0x0063;
export const CMD_SEND_RR_DATA = 0x006f;
export const CMD_SEND_UNIT_DATA = 0x0070;
const ITEM_CIP_IDENTITY = 0x000c;
const ITEM_CONNECTED_DATA = 0x00b1;
const ITEM_UNCONNECTED_DATA = 0x00b2;
const ITEM_SEQUENCED_ADDRESS = 0x8002;
/** Connection id (4) and encapsulation sequence number (4). */
const SEQUENCED_ADDRESS_LEN = 8;
/** Interface handle (4) + timeout (2) before the CPF item count. */
const CPF_PREFIX = 6;
const MAX_ITEMS = 16;
const MAX_EMBEDDED = 32;
const CIP_RESPONSE = 0x80;
const SERVICE_MULTIPLE = 0x0a;
const AF_INET = 2;
/** Identity item up to the product name: version 2, sockaddr 16, vendor … serial 14. */
const IDENTITY_FIXED = 32;

export interface CipIdentity {
  encapsulation_version: number;
  socket_address: string;
  socket_port: number;
  vendor: number;
  device_type_id: number;
  device_type: string;
  product_code: number;
  revision: string;
  device_status: string;
  serial_number: string;
  product_name: string;
  state?: number;
}

export interface CipMessage {
  response: boolean;
  service: string;
  service_code: number;
  class_id?: number;
  class_name?: string;
  instance_id?: number;
  status?: string;
  /** Connected data: the CIP sequence count. */
  sequence?: number;
  /** Services inside a Multiple Service Packet request ("<service> <class>"). */
  embedded?: string[];
}

export interface EnipMessage {
  command_code: number;
  command: string;
  length: number;
  session_handle: string;
  status: string;
  sender_context: string;
  options: string;
  identities?: CipIdentity[];
  cip?: CipMessage;
}

const u16 = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8);
const u32 = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

/** Total length of the encapsulation message at `off`, or a framing status. */
export function encapFrameLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 4) return FRAME_NEED_MORE;
  const cmd = u16(buf, off);
  if (COMMANDS[cmd] === undefined) return FRAME_BAD;
  const n = u16(buf, off + 2);
  if (n > MAX_ENCAP_DATA) return FRAME_BAD;
  return ENCAP_HEADER + n;
}

/** Parses one whole encapsulation message of `len` octets. */
export function parseEncap(buf: Uint8Array, off: number, len: number): EnipMessage | 'bad' {
  if (len < ENCAP_HEADER) return 'bad';
  const cmd = u16(buf, off);
  const n = u16(buf, off + 2);
  if (COMMANDS[cmd] === undefined || ENCAP_HEADER + n > len) return 'bad';
  const status = u32(buf, off + 8);
  let ctx = '0x';
  for (let i = 12; i < 20; i++) ctx += buf[off + i].toString(16).padStart(2, '0');
  const msg: EnipMessage = {
    command_code: cmd,
    command: COMMANDS[cmd],
    length: n,
    session_handle: hex(u32(buf, off + 4), 8),
    status: STATUSES[status] ?? hex(status, 8),
    sender_context: ctx,
    options: hex(u32(buf, off + 20), 8),
  };
  const p = off + ENCAP_HEADER;
  const end = p + n;
  if (cmd === CMD_LIST_IDENTITY && n > 0) {
    const ids = listIdentity(buf, p, end);
    if (ids.length > 0) msg.identities = ids;
  } else if ((cmd === CMD_SEND_RR_DATA || cmd === CMD_SEND_UNIT_DATA) && end - p >= CPF_PREFIX + 2) {
    const cip = commonPacket(buf, p + CPF_PREFIX, end);
    if (cip !== null) msg.cip = cip;
  }
  return msg;
}

/** ListIdentity reply: item count, then CIP Identity items (§2-4.3.2). */
function listIdentity(buf: Uint8Array, p: number, end: number): CipIdentity[] {
  const out: CipIdentity[] = [];
  if (end - p < 2) return out;
  const count = Math.min(u16(buf, p), MAX_ITEMS);
  p += 2;
  for (let i = 0; i < count && end - p >= 4; i++) {
    const type = u16(buf, p);
    const l = u16(buf, p + 2);
    const q = p + 4;
    p = q + l;
    if (p > end) break;
    if (type !== ITEM_CIP_IDENTITY || l < IDENTITY_FIXED + 1) continue;
    // sockaddr_in is big-endian (network order), unlike the rest of the item.
    const family = (buf[q + 2] << 8) | buf[q + 3];
    const nameLen = buf[q + IDENTITY_FIXED];
    const nameEnd = Math.min(q + IDENTITY_FIXED + 1 + nameLen, p);
    const id: CipIdentity = {
      encapsulation_version: u16(buf, q),
      socket_address: family === AF_INET ? `${buf[q + 6]}.${buf[q + 7]}.${buf[q + 8]}.${buf[q + 9]}` : '',
      socket_port: (buf[q + 4] << 8) | buf[q + 5],
      vendor: u16(buf, q + 18),
      device_type_id: u16(buf, q + 20),
      device_type: DEVICE_TYPES[u16(buf, q + 20)] ?? 'Unknown',
      product_code: u16(buf, q + 22),
      revision: `${buf[q + 24]}.${buf[q + 25]}`,
      device_status: hex(u16(buf, q + 26), 4),
      serial_number: hex(u32(buf, q + 28), 8),
      product_name: escapeBytes(buf, q + IDENTITY_FIXED + 1, nameEnd),
    };
    if (nameEnd < p) id.state = buf[nameEnd];
    out.push(id);
  }
  return out;
}

/** Common Packet Format items; the first connected/unconnected data item's CIP message. */
function commonPacket(buf: Uint8Array, p: number, end: number): CipMessage | null {
  const count = Math.min(u16(buf, p), MAX_ITEMS);
  p += 2;
  for (let i = 0; i < count && end - p >= 4; i++) {
    const type = u16(buf, p);
    const l = u16(buf, p + 2);
    const q = p + 4;
    p = q + l;
    if (p > end) return null;
    if (type === ITEM_UNCONNECTED_DATA) return cipMessage(buf, q, p);
    if (type === ITEM_CONNECTED_DATA && l >= 2) {
      const m = cipMessage(buf, q + 2, p);
      if (m !== null) m.sequence = u16(buf, q);
      return m;
    }
  }
  return null;
}

/** A CIP request (service, path size in words, EPATH) or response (service|0x80, status). */
function cipMessage(buf: Uint8Array, p: number, end: number): CipMessage | null {
  if (end - p < 2) return null;
  const code = buf[p];
  const m: CipMessage = { response: (code & CIP_RESPONSE) !== 0, service_code: code & 0x7f, service: '' };
  if (m.response) {
    if (end - p < 4) return null;
    m.status = CIP_STATUSES[buf[p + 2]] ?? hex(buf[p + 2], 2);
    m.service = cipServiceName(code, -1);
    return m;
  }
  const words = buf[p + 1];
  const pathEnd = p + 2 + words * 2;
  if (pathEnd > end) return null;
  logicalPath(buf, p + 2, pathEnd, m);
  m.service = cipServiceName(code, m.class_id ?? -1);
  if (m.service_code === SERVICE_MULTIPLE) m.embedded = multipleService(buf, pathEnd, end);
  return m;
}

/** 8- and 16-bit logical class and instance segments of an EPATH (Vol 1 Appendix C-1.4.2). */
function logicalPath(buf: Uint8Array, p: number, end: number, m: CipMessage): void {
  while (p < end) {
    const seg = buf[p];
    const kind = seg & 0xfc;
    const fmt = seg & 0x03;
    let v: number;
    let size: number;
    if (fmt === 0 && end - p >= 2) {
      v = buf[p + 1];
      size = 2;
    } else if (fmt === 1 && end - p >= 4) {
      v = u16(buf, p + 2);
      size = 4;
    } else return;
    if (kind === 0x20) {
      m.class_id = v;
      m.class_name = CIP_CLASSES[v] ?? 'unknown';
    } else if (kind === 0x24) m.instance_id = v;
    else if (kind !== 0x28 && kind !== 0x30) return; // member, attribute: skip; others end
    p += size;
  }
}

/** Multiple Service Packet request data: count, offsets, then each embedded request. */
function multipleService(buf: Uint8Array, p: number, end: number): string[] {
  const out: string[] = [];
  if (end - p < 2) return out;
  const count = Math.min(u16(buf, p), MAX_EMBEDDED);
  for (let i = 0; i < count; i++) {
    const o = p + 2 + i * 2;
    if (o + 2 > end) break;
    const at = p + u16(buf, o);
    if (at + 2 > end) continue;
    const next = i + 1 < count && o + 4 <= end ? p + u16(buf, o + 2) : end;
    const sub = cipMessage(buf, at, Math.min(Math.max(next, at + 2), end));
    if (sub !== null) out.push(sub.class_id === undefined ? sub.service : `${sub.service} ${hex(sub.class_id, 2)}`);
  }
  return out;
}


export interface CipIo {
  connection_id: number;
  sequence_number: number;
  /** The Connected Data item's bytes (the CIP sequence count first, for class 1). */
  dataOff: number;
  dataLen: number;
}

/**
 * An implicit-messaging I/O datagram: a CPF whose items are exactly a Sequenced Address item
 * and a Connected Data item and whose lengths account for every byte (§2-6.3.3). Anything else
 * is null: the datagram is then not I/O.
 */
export function parseCipIo(buf: Uint8Array, off: number, len: number): CipIo | null {
  const end = off + len;
  if (len < 2 + 4 + SEQUENCED_ADDRESS_LEN + 4 || u16(buf, off) !== 2) return null;
  let p = off + 2;
  if (u16(buf, p) !== ITEM_SEQUENCED_ADDRESS || u16(buf, p + 2) !== SEQUENCED_ADDRESS_LEN) return null;
  const connection_id = u32(buf, p + 4);
  const sequence_number = u32(buf, p + 8);
  p += 4 + SEQUENCED_ADDRESS_LEN;
  if (u16(buf, p) !== ITEM_CONNECTED_DATA) return null;
  const dataLen = u16(buf, p + 2);
  if (p + 4 + dataLen !== end) return null;
  return { connection_id, sequence_number, dataOff: p + 4, dataLen };
}
