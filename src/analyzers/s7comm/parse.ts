// S7 over ISO-on-TCP: TPKT (RFC 1006 §6), COTP (ISO 8073 / X.224: CR, CC, DT), then S7comm
// (header 0x32: ROSCTR, job functions, user-data groups) with the SZL identity lists 0x0011
// (module identification: order number, firmware) and 0x001C (component identification: PLC
// name, module name, plant id, serial), or the S7comm-plus header (0x72: version, opcode,
// function). Pure functions over bytes; nothing here throws or reads past `end`.
import { FRAME_BAD, FRAME_NEED_MORE } from '../framing.js';
import {
  ERROR_CLASSES,
  FUNCTION_PI_SERVICE,
  PI_SERVICES,
  GROUP_CPU,
  GROUP_SECURITY,
  JOB_FUNCTIONS,
  ROSCTR_ACK,
  ROSCTR_ACK_DATA,
  ROSCTR_NAMES,
  ROSCTR_USERDATA,
  S7P_FUNCTIONS,
  S7P_OPCODES,
  SUBFUNCTION_PLC_PASSWORD,
  SUBFUNCTION_READ_SZL,
  SZL_NAMES,
  USERDATA_GROUPS,
  USERDATA_SUBFUNCTIONS,
  USERDATA_TYPES,
  hex,
} from './names.js';

export const TPKT_VERSION = 3;
export const TPKT_HEADER = 4;
export const COTP_CR = 0xe0;
export const COTP_CC = 0xd0;
export const COTP_DR = 0x80;
export const COTP_DC = 0xc0;
export const COTP_DT = 0xf0;
export const COTP_EOT = 0x80;
const COTP_PARAM_SRC_TSAP = 0xc1;
const COTP_PARAM_DST_TSAP = 0xc2;
/** CR/CC fixed part after the type octet: dst ref, src ref, class. */
const COTP_CONN_FIXED = 6;
export const S7_PROTOCOL_ID = 0x32;
export const S7PLUS_PROTOCOL_ID = 0x72;
const S7_HEADER = 10;
const S7_ACK_HEADER = 12;
/** S7comm-plus version 3 carries a 32-octet integrity digest before the opcode. */
const S7P_V3 = 3;
const S7P_DIGEST = 32;
const USERDATA_PARAM_HEAD = 0x000112;
/** Return code "success" of user data (and SZL) items. */
const RETURN_SUCCESS = 0xff;
const SZL_MODULE_ID = 0x11;
const SZL_COMPONENT_ID = 0x1c;
const SZL_MODULE_RECORD = 28;
const SZL_COMPONENT_RECORD = 34;
const MLFB_LEN = 20;
/** Offset of the parameter block length in a PI service job parameter. */
const PI_BLOCK_LEN_OFF = 8;
const MAX_SZL_RECORDS = 64;
/** Firmware version marker in a module-identification record's Ausbg ('V'). */
const FIRMWARE_MARK = 0x56;

export interface Tpdu {
  type: number;
  /** DT: last data unit of the TSDU. */
  eot: boolean;
  /** CR/CC: TSAPs as hex. */
  src_tsap?: string;
  dst_tsap?: string;
  /** DT user data range within the buffer. */
  dataOff: number;
  dataLen: number;
}

export function tpktFrameLength(buf: Uint8Array, off: number, len: number): number {
  if (len < TPKT_HEADER) return FRAME_NEED_MORE;
  if (buf[off] !== TPKT_VERSION || buf[off + 1] !== 0) return FRAME_BAD;
  const n = (buf[off + 2] << 8) | buf[off + 3];
  return n < TPKT_HEADER + 3 ? FRAME_BAD : n;
}

/** The COTP TPDU inside one whole TPKT frame. */
export function parseTpdu(buf: Uint8Array, off: number, len: number): Tpdu | 'bad' {
  if (len < TPKT_HEADER + 2) return 'bad';
  const li = buf[off + 4];
  const p = off + TPKT_HEADER + 1;
  const end = off + len;
  if (li < 1 || p + li > end) return 'bad';
  const type = buf[p] & 0xf0;
  const t: Tpdu = { type, eot: false, dataOff: p + li, dataLen: end - (p + li) };
  if (type === COTP_DT) {
    if (li < 2) return 'bad';
    t.eot = (buf[p + 1] & COTP_EOT) !== 0;
  } else if (type === COTP_CR || type === COTP_CC) {
    let q = p + 1 + COTP_CONN_FIXED;
    const pend = p + li;
    while (q + 2 <= pend) {
      const code = buf[q];
      const l = buf[q + 1];
      if (q + 2 + l > pend) break;
      let v = '';
      for (let i = 0; i < l; i++) v += buf[q + 2 + i].toString(16).padStart(2, '0');
      if (code === COTP_PARAM_SRC_TSAP) t.src_tsap = `0x${v}`;
      else if (code === COTP_PARAM_DST_TSAP) t.dst_tsap = `0x${v}`;
      q += 2 + l;
    }
  } else if (type !== COTP_DR && type !== COTP_DC && type !== 0x70 && type !== 0x60 && type !== 0x50 && type !== 0x10 && type !== 0x20) {
    return 'bad';
  }
  return t;
}

export interface S7Identity {
  order_number?: string;
  hardware_order_number?: string;
  firmware?: string;
  plc_name?: string;
  module_name?: string;
  plant_id?: string;
  copyright?: string;
  serial?: string;
  module?: string;
  memory_card_serial?: string;
  location?: string;
}

export interface S7Pdu extends S7Identity {
  rosctr_code: number;
  rosctr: string;
  pdu_reference: number;
  function_code: string;
  function: string;
  subfunction_code?: string;
  subfunction?: string;
  error_class?: string;
  error_code?: string;
  /** User data: data unit reference and whether more units follow (SZL fragments). */
  data_unit_ref?: number;
  more_follows?: boolean;
  szl_id?: string;
  szl_name?: string;
  szl_index?: string;
  return_code?: string;
  /** User data "PLC password": the decoded password (the analyzer digests and drops it). */
  password?: string;
  /** First fragment of a multi-unit SZL response: its data to be continued. */
  szlData?: Uint8Array;
}

/** One S7comm PDU (protocol id 0x32) of `len` octets. */
export function parseS7(buf: Uint8Array, off: number, len: number): S7Pdu | 'bad' {
  if (len < S7_HEADER || buf[off] !== S7_PROTOCOL_ID) return 'bad';
  const rosctr = buf[off + 1];
  const rname = ROSCTR_NAMES[rosctr];
  if (rname === undefined) return 'bad';
  const hdr = rosctr === ROSCTR_ACK || rosctr === ROSCTR_ACK_DATA ? S7_ACK_HEADER : S7_HEADER;
  if (len < hdr) return 'bad';
  const paramLen = (buf[off + 6] << 8) | buf[off + 7];
  const dataLen = (buf[off + 8] << 8) | buf[off + 9];
  const p = off + hdr;
  const end = off + len;
  const pdu: S7Pdu = {
    rosctr_code: rosctr,
    rosctr: rname,
    pdu_reference: (buf[off + 4] << 8) | buf[off + 5],
    function_code: '',
    function: '',
  };
  if (hdr === S7_ACK_HEADER) {
    pdu.error_class = ERROR_CLASSES[buf[off + 10]] ?? hex(buf[off + 10], 2);
    pdu.error_code = hex(buf[off + 11], 2);
  }
  if (paramLen === 0 || p >= end) return pdu;
  if (rosctr !== ROSCTR_USERDATA) {
    const fc = buf[p];
    pdu.function_code = hex(fc, 2);
    pdu.function = JOB_FUNCTIONS[fc] ?? 'Unknown';
    if (fc === FUNCTION_PI_SERVICE && rosctr !== ROSCTR_ACK_DATA) piService(buf, p, Math.min(p + paramLen, end), pdu);
    return pdu;
  }
  // User data parameter: head 00 01 12, length, method, type|group, subfunction, sequence,
  // and in 8-octet parameters: data unit reference, last data unit, error code.
  if (end - p < 8) return pdu;
  const head = (buf[p] << 16) | (buf[p + 1] << 8) | buf[p + 2];
  if (head !== USERDATA_PARAM_HEAD) return pdu;
  const tg = buf[p + 5];
  const type = tg >> 4;
  const group = tg & 0x0f;
  const sub = buf[p + 6];
  pdu.function_code = hex(tg, 2);
  pdu.function = `${USERDATA_TYPES[type] ?? 'Unknown'}: ${USERDATA_GROUPS[group] ?? 'Unknown'}`;
  pdu.subfunction_code = hex(sub, 2);
  pdu.subfunction = USERDATA_SUBFUNCTIONS[group]?.[sub] ?? 'Unknown';
  if (buf[p + 3] >= 8 && end - p >= 12) {
    pdu.data_unit_ref = buf[p + 8];
    pdu.more_follows = buf[p + 9] !== 0;
    const err = (buf[p + 10] << 8) | buf[p + 11];
    pdu.error_code = hex(err, 4);
  }
  // Data item: return code, transport size, length, data.
  const d = p + paramLen;
  if (dataLen < 4 || d + 4 > end) return pdu;
  const rc = buf[d];
  const itemLen = (buf[d + 2] << 8) | buf[d + 3];
  const dEnd = Math.min(d + 4 + itemLen, end);
  pdu.return_code = hex(rc, 2);
  if (group === GROUP_CPU && sub === SUBFUNCTION_READ_SZL && dEnd - (d + 4) >= 4) {
    pdu.szl_id = hex((buf[d + 4] << 8) | buf[d + 5], 4);
    pdu.szl_name = SZL_NAMES[(buf[d + 4] << 8) | buf[d + 5]] ?? 'Unknown';
    pdu.szl_index = hex((buf[d + 6] << 8) | buf[d + 7], 4);
    if (type === 8 && rc === RETURN_SUCCESS) {
      if (pdu.more_follows) pdu.szlData = buf.slice(d + 4, dEnd);
      else szlIdentity(buf, d + 4, dEnd, pdu);
    }
  } else if (group === GROUP_SECURITY && sub === SUBFUNCTION_PLC_PASSWORD && type === 4 && dEnd - (d + 4) >= 1) {
    pdu.password = decodePassword(buf, d + 4, dEnd);
  }
  return pdu;
}

/** PLC Control (PI service) job parameter: function, 7 octets, block length, block, name. */
function piService(buf: Uint8Array, p: number, end: number, pdu: S7Pdu): void {
  if (end - p < PI_BLOCK_LEN_OFF + 2) return;
  const q = p + PI_BLOCK_LEN_OFF + 2 + ((buf[p + PI_BLOCK_LEN_OFF] << 8) | buf[p + PI_BLOCK_LEN_OFF + 1]);
  if (q >= end) return;
  const name = text(buf, q + 1, Math.min(q + 1 + buf[q], end));
  if (name === '') return;
  pdu.subfunction_code = name;
  pdu.subfunction = PI_SERVICES[name] ?? 'Unknown';
}

/** Continuation data of a multi-unit user-data response (after the 4-octet item header). */
export function userDataItem(buf: Uint8Array, off: number, len: number): Uint8Array | null {
  if (len < S7_HEADER || buf[off] !== S7_PROTOCOL_ID) return null;
  const paramLen = (buf[off + 6] << 8) | buf[off + 7];
  const d = off + S7_HEADER + paramLen;
  const end = off + len;
  if (d + 4 > end) return null;
  const itemLen = (buf[d + 2] << 8) | buf[d + 3];
  return buf.subarray(d + 4, Math.min(d + 4 + itemLen, end));
}

/**
 * SZL data (id, index, record length, record count, records) of lists 0x0011/0x0111 and
 * 0x001C/0x011C: the module's identity.
 */
export function szlIdentity(buf: Uint8Array, p: number, end: number, out: S7Identity): void {
  if (end - p < 8) return;
  const id = ((buf[p] << 8) | buf[p + 1]) & 0xff;
  const recLen = (buf[p + 4] << 8) | buf[p + 5];
  const count = Math.min((buf[p + 6] << 8) | buf[p + 7], MAX_SZL_RECORDS);
  let q = p + 8;
  if (id === SZL_MODULE_ID && recLen === SZL_MODULE_RECORD) {
    for (let i = 0; i < count && q + recLen <= end; i++, q += recLen) {
      const index = (buf[q] << 8) | buf[q + 1];
      const mlfb = text(buf, q + 2, q + 2 + MLFB_LEN);
      const ausbg = (buf[q + 24] << 8) | buf[q + 25];
      const ausbe = (buf[q + 26] << 8) | buf[q + 27];
      if (index === 0x0001 && mlfb !== '') out.order_number = mlfb;
      else if (index === 0x0006 && mlfb !== '') out.hardware_order_number = mlfb;
      else if (index === 0x0007 && ausbg >> 8 === FIRMWARE_MARK) out.firmware = `V${ausbg & 0xff}.${ausbe >> 8}.${ausbe & 0xff}`;
    }
  } else if (id === SZL_COMPONENT_ID && recLen === SZL_COMPONENT_RECORD) {
    for (let i = 0; i < count && q + recLen <= end; i++, q += recLen) {
      const index = (buf[q] << 8) | buf[q + 1];
      const s = text(buf, q + 2, q + recLen);
      switch (index) {
        case 0x0001:
          out.plc_name = s;
          break;
        case 0x0002:
          out.module_name = s;
          break;
        case 0x0003:
          out.plant_id = s;
          break;
        case 0x0004:
          out.copyright = s;
          break;
        case 0x0005:
          out.serial = s;
          break;
        case 0x0007:
          out.module = s;
          break;
        case 0x0008:
          out.memory_card_serial = s;
          break;
        case 0x000b:
          out.location = s;
          break;
        default:
          break;
      }
    }
  }
}

/** A NUL-padded ASCII field, trimmed; non-printable octets end it. */
function text(buf: Uint8Array, off: number, end: number): string {
  let s = '';
  for (let i = off; i < end; i++) {
    const b = buf[i];
    if (b < 0x20 || b >= 0x7f) break;
    s += String.fromCharCode(b);
  }
  return s.trim();
}

/** The 8-octet PLC password is obfuscated: b0^0x55, b1^0x55, bi^0x55^b(i-2) (as sent). */
function decodePassword(buf: Uint8Array, p: number, end: number): string {
  const n = Math.min(end - p, 8);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = i < 2 ? buf[p + i] ^ 0x55 : buf[p + i] ^ 0x55 ^ buf[p + i - 2];
    s += String.fromCharCode(c);
  }
  return s.replace(/[\s\0]+$/, '');
}

export interface S7PlusPdu {
  version: number;
  opcode_code?: string;
  opcode?: string;
  function_code?: string;
  function?: string;
}

/** The S7comm-plus header of one reassembled TSDU (protocol id 0x72). */
export function parseS7Plus(buf: Uint8Array, off: number, len: number): S7PlusPdu | 'bad' {
  if (len < 4 || buf[off] !== S7PLUS_PROTOCOL_ID) return 'bad';
  const out: S7PlusPdu = { version: buf[off + 1] };
  let p = off + 4;
  const end = off + len;
  if (out.version === S7P_V3) {
    if (p >= end || buf[p] !== S7P_DIGEST) return out;
    p += 1 + S7P_DIGEST;
  }
  if (p >= end) return out;
  const op = buf[p];
  out.opcode_code = hex(op, 2);
  out.opcode = S7P_OPCODES[op] ?? 'Unknown';
  if ((op === 0x31 || op === 0x32) && end - p >= 5) {
    const fn = (buf[p + 3] << 8) | buf[p + 4];
    out.function_code = hex(fn, 4);
    out.function = S7P_FUNCTIONS[fn] ?? 'Unknown';
  }
  return out;
}
