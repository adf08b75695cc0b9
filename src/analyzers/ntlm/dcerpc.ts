// DCE-RPC connection-oriented PDUs (C706 §12.6; MS-RPCE §2.2.2.11) as far as NTLM needs them:
// the common header, fragment framing and the auth verifier trailer of bind, bind_ack,
// alter_context, alter_context_resp and auth3. Pure functions; the framing state lives in the
// analyzer.

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

export interface DceRpcHeader {
  ptype: number;
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
  return { ptype, fragLen, authLen, callId, littleEndian: le };
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
