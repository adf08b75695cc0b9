// DCE-RPC connection-oriented PDUs (C706 §12.6; MS-RPCE §2.2.2): the common header and fragment
// framing (§12.6.3.1), the presentation context list of bind/alter_context (§12.6.4.3, p_cont_list_t),
// the secondary address of bind_ack (§12.6.4.4), the context id and opnum of request/response
// (§12.6.4.9, §12.6.4.10) and the auth verifier trailer (§13.2.6.1). Pure functions, never reading
// outside [off, off+len); the framing and call state live in the carriers (TCP, SMB pipes).

export const DCERPC_VERSION = 5;
export const PDU_REQUEST = 0;
export const PDU_RESPONSE = 2;
export const PDU_FAULT = 3;
export const PDU_BIND = 11;
export const PDU_BIND_ACK = 12;
export const PDU_BIND_NAK = 13;
export const PDU_ALTER_CONTEXT = 14;
export const PDU_ALTER_CONTEXT_RESP = 15;
export const PDU_AUTH3 = 16;

/** Common header length (§12.6.3.1). */
export const DCERPC_HEADER_LEN = 16;
/** sec_trailer: auth_type, auth_level, pad length, reserved, context id (§13.2.6.1). */
const SEC_TRAILER_LEN = 8;
/** packed_drep[0] bit for little-endian integers. */
const DREP_LITTLE_ENDIAN = 0x10;

// auth_type values (MS-RPCE §2.2.1.1.7).
export const AUTHN_GSS_NEGOTIATE = 9;
export const AUTHN_WINNT = 10;
export const AUTHN_GSS_KERBEROS = 16;
export const AUTHN_NETLOGON = 68;

/** pfc_flags (§12.6.3.1): first and last fragment of a call's PDU. */
export const PFC_FIRST_FRAG = 0x01;
export const PFC_LAST_FRAG = 0x02;

export interface DceRpcHeader {
  ptype: number;
  pfcFlags: number;
  fragLen: number;
  authLen: number;
  callId: number;
  littleEndian: boolean;
}

/** The common header at `off`, or null when it is not a plausible DCE-RPC CO PDU. */
export function parseDceRpcHeader(buf: Uint8Array, off: number, len: number): DceRpcHeader | null {
  if (len < DCERPC_HEADER_LEN || off + DCERPC_HEADER_LEN > buf.length) return null;
  if (buf[off] !== DCERPC_VERSION || buf[off + 1] > 1) return null;
  const ptype = buf[off + 2];
  if (ptype > 20) return null;
  const le = (buf[off + 4] & DREP_LITTLE_ENDIAN) !== 0;
  const fragLen = le ? buf[off + 8] | (buf[off + 9] << 8) : (buf[off + 8] << 8) | buf[off + 9];
  const authLen = le ? buf[off + 10] | (buf[off + 11] << 8) : (buf[off + 10] << 8) | buf[off + 11];
  if (fragLen < DCERPC_HEADER_LEN) return null;
  if (authLen > 0 && DCERPC_HEADER_LEN + SEC_TRAILER_LEN + authLen > fragLen) return null;
  const o = off + 12;
  const callId = le ? (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16)) + buf[o + 3] * 0x1000000 : buf[o] * 0x1000000 + ((buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]);
  return { ptype, pfcFlags: buf[off + 3], fragLen, authLen, callId, littleEndian: le };
}

export interface DceRpcAuth {
  authType: number;
  authLevel: number;
  /** Bounds of auth_value (the security token). */
  off: number;
  len: number;
}

/** The auth verifier of a whole PDU of `h.fragLen` bytes at `off`, or null when absent. */
export function dceRpcAuth(buf: Uint8Array, off: number, h: DceRpcHeader): DceRpcAuth | null {
  if (h.authLen === 0) return null;
  const valueOff = off + h.fragLen - h.authLen;
  const trailer = valueOff - SEC_TRAILER_LEN;
  if (trailer < off + DCERPC_HEADER_LEN || off + h.fragLen > buf.length) return null;
  return { authType: buf[trailer], authLevel: buf[trailer + 1], off: valueOff, len: h.authLen };
}

function u16(buf: Uint8Array, o: number, le: boolean): number {
  return le ? buf[o] | (buf[o + 1] << 8) : (buf[o] << 8) | buf[o + 1];
}

function u32(buf: Uint8Array, o: number, le: boolean): number {
  return le ? (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16)) + buf[o + 3] * 0x1000000 : buf[o] * 0x1000000 + ((buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]);
}

function hex(buf: Uint8Array, from: number, to: number, out: string[]): void {
  for (let i = from; i < to; i++) out.push((buf[i] < 16 ? '0' : '') + buf[i].toString(16));
}

/**
 * An NDR uuid_t (16 bytes at `o`) in its string form (lower-case, as Zeek's uuid_to_string and
 * the MS-* documents print it): time_low, time_mid and time_hi_and_version follow the data
 * representation's integer order, the last 8 bytes are bytes.
 */
export function uuidString(buf: Uint8Array, o: number, le: boolean): string {
  const out: string[] = [];
  if (le) {
    for (const i of [3, 2, 1, 0]) hex(buf, o + i, o + i + 1, out);
    out.push('-');
    hex(buf, o + 5, o + 6, out);
    hex(buf, o + 4, o + 5, out);
    out.push('-');
    hex(buf, o + 7, o + 8, out);
    hex(buf, o + 6, o + 7, out);
  } else {
    hex(buf, o, o + 4, out);
    out.push('-');
    hex(buf, o + 4, o + 6, out);
    out.push('-');
    hex(buf, o + 6, o + 8, out);
  }
  out.push('-');
  hex(buf, o + 8, o + 10, out);
  out.push('-');
  hex(buf, o + 10, o + 16, out);
  return out.join('');
}

/** One p_cont_elem_t: a presentation context id and its abstract syntax (interface). */
export interface PresentationContext {
  ctxId: number;
  uuid: string;
  verMajor: number;
  verMinor: number;
  /** The context's (first) transfer syntax is NDR64 (MS-RPCE 2.2.5) rather than NDR 2.0. */
  ndr64: boolean;
}

/** NDR64 transfer syntax (MS-RPCE 2.2.5.1). */
const NDR64_SYNTAX = '71710533-beba-4937-8319-b5dbef9ccc36';

/** bind/alter_context: max_xmit_frag, max_recv_frag, assoc_group_id, then p_cont_list_t. */
const BIND_CONTEXTS_AT = DCERPC_HEADER_LEN + 8;
/** p_cont_elem_t without its transfer syntaxes: p_cont_id(2), n_transfer_syn(1), reserved(1), abstract_syntax(20). */
const CONT_ELEM_LEN = 24;
/** p_syntax_id_t: uuid(16) + version(4). */
const SYNTAX_ID_LEN = 20;
/** More contexts than any real bind offers (Windows offers a handful). */
const MAX_CONTEXTS = 64;

/**
 * The presentation contexts a bind or alter_context offers, from a PDU whose first `len` bytes
 * are at `off` (the list may be cut short when the PDU is).
 */
export function parseBindContexts(buf: Uint8Array, off: number, len: number, h: DceRpcHeader): PresentationContext[] {
  const out: PresentationContext[] = [];
  const end = off + Math.min(len, h.fragLen, buf.length - off);
  let p = off + BIND_CONTEXTS_AT;
  if (p + 4 > end) return out;
  const n = buf[p];
  p += 4;
  for (let i = 0; i < n && i < MAX_CONTEXTS; i++) {
    if (p + CONT_ELEM_LEN > end) break;
    const ctxId = u16(buf, p, h.littleEndian);
    const nTransfer = buf[p + 2];
    const a = p + 4;
    const t = a + SYNTAX_ID_LEN;
    const ndr64 = nTransfer > 0 && t + 16 <= end && uuidString(buf, t, h.littleEndian) === NDR64_SYNTAX;
    out.push({ ctxId, uuid: uuidString(buf, a, h.littleEndian), verMajor: u16(buf, a + 16, h.littleEndian), verMinor: u16(buf, a + 18, h.littleEndian), ndr64 });
    p += CONT_ELEM_LEN + nTransfer * SYNTAX_ID_LEN;
  }
  return out;
}

/** bind_ack/alter_context_resp: max_xmit_frag, max_recv_frag, assoc_group_id, then port_any_t. */
const SEC_ADDR_AT = DCERPC_HEADER_LEN + 8;
const MAX_SEC_ADDR = 256;

/**
 * The secondary address of a bind_ack (port_any_t: the endpoint's port number or pipe name as
 * a NUL-terminated string), without the NUL; '' when absent.
 */
export function parseBindAckSecAddr(buf: Uint8Array, off: number, len: number, h: DceRpcHeader): string {
  const end = off + Math.min(len, h.fragLen, buf.length - off);
  const p = off + SEC_ADDR_AT;
  if (p + 2 > end) return '';
  const n = Math.min(u16(buf, p, h.littleEndian), MAX_SEC_ADDR, end - p - 2);
  let e = p + 2 + n;
  if (e > p + 2 && buf[e - 1] === 0) e--;
  return Buffer.from(buf.buffer, buf.byteOffset + p + 2, e - p - 2).toString('latin1');
}

/** Request (§12.6.4.9): alloc_hint(4), p_cont_id(2), opnum(2); response: alloc_hint, p_cont_id, cancel_count. */
export interface CallHeader {
  allocHint: number;
  ctxId: number;
  /** Requests only; -1 on responses and faults. */
  opnum: number;
  /** Fault status (§12.6.4.7), faults only. */
  status?: number;
}

const CALL_HEADER_LEN = DCERPC_HEADER_LEN + 8;
/** fault: alloc_hint, p_cont_id, cancel_count, reserved, then the status. */
const FAULT_STATUS_AT = DCERPC_HEADER_LEN + 8;

export function parseCallHeader(buf: Uint8Array, off: number, len: number, h: DceRpcHeader): CallHeader | null {
  if (len < CALL_HEADER_LEN || off + CALL_HEADER_LEN > buf.length || h.fragLen < CALL_HEADER_LEN) return null;
  const p = off + DCERPC_HEADER_LEN;
  const le = h.littleEndian;
  const r: CallHeader = { allocHint: u32(buf, p, le), ctxId: u16(buf, p + 4, le), opnum: h.ptype === PDU_REQUEST ? u16(buf, p + 6, le) : -1 };
  if (h.ptype === PDU_FAULT && len >= FAULT_STATUS_AT + 4 && off + FAULT_STATUS_AT + 4 <= buf.length) r.status = u32(buf, off + FAULT_STATUS_AT, le);
  return r;
}

/** pfc_flags: an object UUID follows the request header (C706 §12.6.3.1 PFC_OBJECT_UUID). */
const PFC_OBJECT_UUID = 0x80;
const OBJECT_UUID_LEN = 16;
/** auth_level RPC_C_AUTHN_LEVEL_PKT_PRIVACY (MS-RPCE 2.2.1.1.8): the stub is encrypted. */
export const AUTHN_LEVEL_PKT_PRIVACY = 6;

/**
 * Bounds [off, end) of the stub data of a whole single-fragment request or response PDU at
 * `off` (of which `len` bytes are present), or null when the stub is not readable in clear
 * (cut short, or sealed with PKT_PRIVACY).
 */
export function callStub(buf: Uint8Array, off: number, len: number, h: DceRpcHeader): { off: number; end: number } | null {
  if (h.ptype !== PDU_REQUEST && h.ptype !== PDU_RESPONSE) return null;
  if (len < h.fragLen || off + h.fragLen > buf.length) return null;
  let start = off + CALL_HEADER_LEN;
  if (h.ptype === PDU_REQUEST && (h.pfcFlags & PFC_OBJECT_UUID) !== 0) start += OBJECT_UUID_LEN;
  let end = off + h.fragLen;
  if (h.authLen > 0) {
    const a = dceRpcAuth(buf, off, h);
    if (a === null || a.authLevel === AUTHN_LEVEL_PKT_PRIVACY) return null;
    end = a.off - SEC_TRAILER_LEN;
  }
  return start <= end ? { off: start, end } : null;
}
