// SNMP message parsing: BER (X.690 §8.1–8.19) over the message formats of RFC 1157 §4 (v1),
// RFC 1901 / RFC 3416 §3 (v2c PDUs) and RFC 3412 §6 with RFC 3414 §2.4 (v3, USM parameters).
// Pure: bytes in, fields or 'bad' out, never reading past [off, off + len).
import { escapeBytes } from '../l2text.js';

export const VERSION_1 = 0;
export const VERSION_2C = 1;
export const VERSION_3 = 3;

export const TAG_INTEGER = 0x02;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;
const TAG_IPADDRESS = 0x40;
const TAG_COUNTER32 = 0x41;
const TAG_GAUGE32 = 0x42;
const TAG_TIMETICKS = 0x43;
const TAG_COUNTER64 = 0x46;

export const PDU_GET = 0xa0;
export const PDU_GETNEXT = 0xa1;
export const PDU_RESPONSE = 0xa2;
export const PDU_SET = 0xa3;
export const PDU_TRAP_V1 = 0xa4;
export const PDU_GETBULK = 0xa5;
export const PDU_INFORM = 0xa6;
export const PDU_TRAP_V2 = 0xa7;
export const PDU_REPORT = 0xa8;

/** pduType of a v3 message whose scoped PDU is encrypted or unreadable. */
export const PDU_ENCRYPTED = -1;
export const PDU_UNREADABLE = -2;

export const PDU_NAMES: Record<number, string> = {
  [PDU_ENCRYPTED]: 'encrypted',
  [PDU_UNREADABLE]: 'unknown',
  [PDU_GET]: 'get_request',
  [PDU_GETNEXT]: 'get_next_request',
  [PDU_RESPONSE]: 'response',
  [PDU_SET]: 'set_request',
  [PDU_TRAP_V1]: 'trap',
  [PDU_GETBULK]: 'get_bulk_request',
  [PDU_INFORM]: 'inform_request',
  [PDU_TRAP_V2]: 'trap_v2',
  [PDU_REPORT]: 'report',
};

/** msgFlags bits (RFC 3412 §6.4). */
const FLAG_AUTH = 0x01;
const FLAG_PRIV = 0x02;

export const MAX_VARBINDS = 64;
const MAX_OID_ARCS = 128;
/** Longest octet string value kept (sysDescr is at most 255 by its MIB). */
const MAX_STRING = 255;

export interface Varbind {
  oid: string;
  /** BER tag of the value (0x05 NULL in requests, 0x80–0x82 exceptions in responses). */
  tag: number;
  /** Decoded value of INTEGER/Counter/Gauge/TimeTicks, OID, IpAddress and octet strings (bounded). */
  value?: string | number;
}

export interface SnmpMessage {
  version: number;
  /** v1/v2c community, in memory only: callers must never log or emit it. */
  community?: string;
  pduType: number;
  requestId?: number;
  errorStatus?: number;
  errorIndex?: number;
  varbinds: Varbind[];
  /** More varbinds than were kept. */
  varbindsTruncated: boolean;
  /** Trap v1 fields (RFC 1157 §4.1.6). */
  enterprise?: string;
  agentAddr?: string;
  genericTrap?: number;
  specificTrap?: number;
  /** A length overran its container and was cut to fit (a malformed but readable message). */
  lengthError?: boolean;
  /** The variable bindings (or a v3 scoped PDU) could not be read; the header fields could. */
  malformed?: boolean;
  /** v3 header and USM parameters (user name and engine id are not secrets). */
  msgId?: number;
  msgFlags?: number;
  securityModel?: number;
  engineId?: string;
  user?: string;
  authenticated?: boolean;
  encrypted?: boolean;
  contextName?: string;
}

interface Tlv {
  tag: number;
  /** Start of the value. */
  v: number;
  /** End of the value. */
  end: number;
}

/**
 * Set while parsing one message when a length ran past its container and was cut to fit.
 * Real agents and test generators emit such messages and peers (Arkime) still read them.
 */
let clamped = false;

/** One BER TLV at `p`, definite lengths only (SNMP forbids the indefinite form). */
function tlv(buf: Uint8Array, p: number, limit: number): Tlv | null {
  if (p + 2 > limit) return null;
  let tag = buf[p];
  let q = p + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High-tag-number form (X.690 §8.1.2.4). SNMP's tags all fit the short form, but BER lets a
    // sender write a small one long ("bf 04" for the Trap-PDU, as in the PROTOS SNMP suite):
    // tshark and agents read it, so it is read as its short form. Larger numbers are no SNMP tag.
    const n = buf[q++];
    if (q >= limit || (n & 0x80) !== 0 || n >= 0x1f) return null;
    tag = (tag & 0xe0) | n;
  }
  let l = buf[q];
  let v = q + 1;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || v + n > limit) return null;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + buf[v + i];
    v += n;
  }
  if (v > limit) return null;
  if (v + l > limit) {
    clamped = true;
    l = limit - v;
  }
  return { tag, v, end: v + l };
}

function int(buf: Uint8Array, t: Tlv): number {
  const n = t.end - t.v;
  if (n === 0 || n > 6) return n === 0 ? 0 : unsigned(buf, t);
  let x = buf[t.v] & 0x80 ? -1 : 0;
  for (let i = t.v; i < t.end; i++) x = x * 256 + buf[i];
  return x;
}

/** Unsigned application types; Counter64 beyond 2^53 loses precision in a Number, so it is a string. */
function unsigned(buf: Uint8Array, t: Tlv): number {
  let x = 0;
  const start = Math.max(t.v, t.end - 8);
  for (let i = start; i < t.end; i++) x = x * 256 + buf[i];
  return x;
}

function counter64(buf: Uint8Array, t: Tlv): string {
  let x = 0n;
  const start = Math.max(t.v, t.end - 8);
  for (let i = start; i < t.end; i++) x = x * 256n + BigInt(buf[i]);
  return x.toString();
}

/** Dotted OID text (X.690 §8.19); null when malformed. */
export function oidText(buf: Uint8Array, off: number, end: number): string | null {
  if (off >= end) return null;
  const arcs: string[] = [];
  let x = 0;
  let first = true;
  let digits = 0;
  for (let i = off; i < end; i++) {
    const b = buf[i];
    x = x * 128 + (b & 0x7f);
    if (++digits > 8) return null;
    if (b & 0x80) continue;
    if (first) {
      const a = x < 40 ? 0 : x < 80 ? 1 : 2;
      arcs.push(String(a), String(x - 40 * a));
      first = false;
    } else arcs.push(String(x));
    if (arcs.length > MAX_OID_ARCS) return null;
    x = 0;
    digits = 0;
  }
  return digits === 0 ? arcs.join('.') : null;
}

function bytesText(buf: Uint8Array, off: number, end: number): string {
  return escapeBytes(buf, off, Math.min(end, off + MAX_STRING));
}

function hex(buf: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < Math.min(end, off + 64); i++) s += buf[i].toString(16).padStart(2, '0');
  return s;
}

/** Parses one SNMP message (a whole UDP datagram). */
export function parseSnmp(buf: Uint8Array, off: number, len: number): SnmpMessage | 'bad' {
  clamped = false;
  const m = parseMessage(buf, off, len);
  if (m !== 'bad' && clamped) m.lengthError = true;
  return m;
}

function parseMessage(buf: Uint8Array, off: number, len: number): SnmpMessage | 'bad' {
  const limit = off + len;
  const msg = tlv(buf, off, limit);
  if (msg === null || msg.tag !== TAG_SEQUENCE) return 'bad';
  const ver = tlv(buf, msg.v, msg.end);
  if (ver === null || ver.tag !== TAG_INTEGER) return 'bad';
  const version = int(buf, ver);
  if (version === VERSION_1 || version === VERSION_2C) {
    const com = tlv(buf, ver.end, msg.end);
    if (com === null || com.tag !== TAG_OCTET_STRING) return 'bad';
    let community = '';
    for (let i = com.v; i < com.end; i++) community += String.fromCharCode(buf[i]);
    // A well-formed header with a damaged PDU still carried its community in clear (Arkime's
    // snmpv3_synthetic sends one followed by a bare INTEGER): kept, and marked malformed.
    const pm = parsePdu(buf, com.end, msg.end, version);
    const m: SnmpMessage = pm === 'bad' ? { version, pduType: PDU_UNREADABLE, varbinds: [], varbindsTruncated: false, malformed: true } : pm;
    m.community = community;
    return m;
  }
  if (version === VERSION_3) return parseV3(buf, ver.end, msg.end);
  return 'bad';
}

function parseV3(buf: Uint8Array, p: number, end: number): SnmpMessage | 'bad' {
  // msgGlobalData: msgID, msgMaxSize, msgFlags, msgSecurityModel.
  const g = tlv(buf, p, end);
  if (g === null || g.tag !== TAG_SEQUENCE) return 'bad';
  const id = tlv(buf, g.v, g.end);
  const max = id && tlv(buf, id.end, g.end);
  const flags = max && tlv(buf, max.end, g.end);
  const model = flags && tlv(buf, flags.end, g.end);
  if (!id || !max || !flags || !model || id.tag !== TAG_INTEGER || flags.tag !== TAG_OCTET_STRING || flags.end === flags.v) return 'bad';
  const msgFlags = buf[flags.v];
  const sec = tlv(buf, g.end, end);
  if (sec === null || sec.tag !== TAG_OCTET_STRING) return 'bad';
  const out: SnmpMessage = {
    version: VERSION_3,
    pduType: PDU_ENCRYPTED,
    varbinds: [],
    varbindsTruncated: false,
    msgId: int(buf, id),
    msgFlags,
    securityModel: int(buf, model),
    authenticated: (msgFlags & FLAG_AUTH) !== 0,
    encrypted: (msgFlags & FLAG_PRIV) !== 0,
  };
  // USM parameters (RFC 3414 §2.4): engine id, boots, time, user name, auth params, priv params.
  const usm = tlv(buf, sec.v, sec.end);
  if (usm !== null && usm.tag === TAG_SEQUENCE) {
    const eid = tlv(buf, usm.v, usm.end);
    const boots = eid && tlv(buf, eid.end, usm.end);
    const time = boots && tlv(buf, boots.end, usm.end);
    const user = time && tlv(buf, time.end, usm.end);
    if (eid && eid.tag === TAG_OCTET_STRING) out.engineId = hex(buf, eid.v, eid.end);
    if (user && user.tag === TAG_OCTET_STRING) out.user = bytesText(buf, user.v, user.end);
  }
  const data = tlv(buf, sec.end, end);
  if (data !== null && data.tag === TAG_OCTET_STRING) return out; // encryptedPDU: nothing more to read
  // ScopedPDU: contextEngineID, contextName, PDU. When it cannot be read, the header (with
  // the user name) is still a fact worth reporting.
  const ceid = data && data.tag === TAG_SEQUENCE ? tlv(buf, data.v, data.end) : null;
  const cname = ceid && data && tlv(buf, ceid.end, data.end);
  const m = data && cname ? parsePdu(buf, cname.end, data.end, VERSION_3) : 'bad';
  if (m === 'bad' || !data || !cname) {
    out.pduType = PDU_UNREADABLE;
    out.encrypted = false;
    out.malformed = true;
    return out;
  }
  m.msgId = out.msgId;
  m.msgFlags = out.msgFlags;
  m.securityModel = out.securityModel;
  m.authenticated = out.authenticated;
  m.encrypted = false;
  if (out.engineId !== undefined) m.engineId = out.engineId;
  if (out.user !== undefined) m.user = out.user;
  m.contextName = bytesText(buf, cname.v, cname.end);
  return m;
}

function parsePdu(buf: Uint8Array, p: number, end: number, version: number): SnmpMessage | 'bad' {
  const pdu = tlv(buf, p, end);
  if (pdu === null || pdu.tag < PDU_GET || pdu.tag > PDU_REPORT) return 'bad';
  const m: SnmpMessage = { version, pduType: pdu.tag, varbinds: [], varbindsTruncated: false };
  let q = pdu.v;
  if (pdu.tag === PDU_TRAP_V1) {
    const ent = tlv(buf, q, pdu.end);
    const agent = ent && tlv(buf, ent.end, pdu.end);
    const gen = agent && tlv(buf, agent.end, pdu.end);
    const spec = gen && tlv(buf, gen.end, pdu.end);
    const ts = spec && tlv(buf, spec.end, pdu.end);
    if (!ent || !agent || !gen || !spec || !ts || ent.tag !== TAG_OID) return 'bad';
    m.enterprise = oidText(buf, ent.v, ent.end) ?? '';
    if (agent.tag === TAG_IPADDRESS && agent.end - agent.v === 4) m.agentAddr = `${buf[agent.v]}.${buf[agent.v + 1]}.${buf[agent.v + 2]}.${buf[agent.v + 3]}`;
    m.genericTrap = int(buf, gen);
    m.specificTrap = int(buf, spec);
    q = ts.end;
  } else {
    const rid = tlv(buf, q, pdu.end);
    const es = rid && tlv(buf, rid.end, pdu.end);
    const ei = es && tlv(buf, es.end, pdu.end);
    if (!rid || !es || !ei || rid.tag !== TAG_INTEGER) return 'bad';
    m.requestId = int(buf, rid);
    // For GetBulk these are non-repeaters and max-repetitions (RFC 3416 §4.2.3).
    m.errorStatus = int(buf, es);
    m.errorIndex = int(buf, ei);
    q = ei.end;
  }
  const list = tlv(buf, q, pdu.end);
  if (list === null || list.tag !== TAG_SEQUENCE) {
    m.malformed = true;
    return m;
  }
  let r = list.v;
  while (r < list.end) {
    const vb = tlv(buf, r, list.end);
    // A damaged binding list still leaves the header readable: keep what came before.
    if (vb === null || vb.tag !== TAG_SEQUENCE) {
      m.malformed = true;
      return m;
    }
    r = vb.end;
    if (m.varbinds.length >= MAX_VARBINDS) {
      m.varbindsTruncated = true;
      continue;
    }
    const name = tlv(buf, vb.v, vb.end);
    const val = name && tlv(buf, name.end, vb.end);
    const oid = name && val && name.tag === TAG_OID ? oidText(buf, name.v, name.end) : null;
    if (!name || !val || oid === null) {
      m.malformed = true;
      return m;
    }
    const b: Varbind = { oid, tag: val.tag };
    if (val.tag === TAG_INTEGER) b.value = int(buf, val);
    else if (val.tag === TAG_COUNTER32 || val.tag === TAG_GAUGE32 || val.tag === TAG_TIMETICKS) b.value = unsigned(buf, val);
    else if (val.tag === TAG_COUNTER64) b.value = counter64(buf, val);
    else if (val.tag === TAG_OCTET_STRING) b.value = bytesText(buf, val.v, val.end);
    else if (val.tag === TAG_OID) b.value = oidText(buf, val.v, val.end) ?? '';
    else if (val.tag === TAG_IPADDRESS && val.end - val.v === 4) b.value = `${buf[val.v]}.${buf[val.v + 1]}.${buf[val.v + 2]}.${buf[val.v + 3]}`;
    m.varbinds.push(b);
  }
  return m;
}
