// IEC 60870-5-104 parser. APCI (IEC 60870-5-104 §5): start octet 0x68, APDU length (the four
// control octets plus the ASDU, at most 253), control field in I-format (send and receive
// sequence numbers), S-format (receive sequence number) or U-format (STARTDT / STOPDT / TESTFR,
// act or con). ASDU (IEC 60870-5-101 §7.2 with the 104 profile of 104 §9): type identification,
// variable structure qualifier (SQ bit + number of objects), cause of transmission (6 bits, P/N,
// T) followed by the originator address octet, 2-octet common address of ASDU (little-endian) and
// 3-octet information object addresses. Pure: bytes in, fields or a status out.

export const START = 0x68;
export const APCI_LEN = 6;
/** The control field's four octets: the smallest APDU length. */
export const CONTROL_LEN = 4;
/** The APDU length octet's largest value (104 §5: 253 = 255 - start - length octets). */
export const MAX_APDU_LENGTH = 253;
/** Type id, VSQ, COT, originator address, 2-octet common address (101 §7.2, 104 §9). */
export const ASDU_HEADER_LEN = 6;
export const IOA_LEN = 3;

const FORMAT_S = 0x01;
const FORMAT_U = 0x03;
const VSQ_SQ = 0x80;
const VSQ_NUMBER = 0x7f;
const COT_TEST = 0x80;
const COT_NEGATIVE = 0x40;
const COT_CAUSE = 0x3f;

/** U-format function bits of control octet 1 (104 §5.3), exactly one of them set. */
export const U_FUNCTIONS: Readonly<Record<number, string>> = {
  0x04: 'STARTDT_act',
  0x08: 'STARTDT_con',
  0x10: 'STOPDT_act',
  0x20: 'STOPDT_con',
  0x40: 'TESTFR_act',
  0x80: 'TESTFR_con',
};

/** Type identifications, standard mnemonics (101 §7.2.1.1 Table 8–13, 104 §9 Table 1). */
export const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'M_SP_NA_1',
  2: 'M_SP_TA_1',
  3: 'M_DP_NA_1',
  4: 'M_DP_TA_1',
  5: 'M_ST_NA_1',
  6: 'M_ST_TA_1',
  7: 'M_BO_NA_1',
  8: 'M_BO_TA_1',
  9: 'M_ME_NA_1',
  10: 'M_ME_TA_1',
  11: 'M_ME_NB_1',
  12: 'M_ME_TB_1',
  13: 'M_ME_NC_1',
  14: 'M_ME_TC_1',
  15: 'M_IT_NA_1',
  16: 'M_IT_TA_1',
  17: 'M_EP_TA_1',
  18: 'M_EP_TB_1',
  19: 'M_EP_TC_1',
  20: 'M_PS_NA_1',
  21: 'M_ME_ND_1',
  30: 'M_SP_TB_1',
  31: 'M_DP_TB_1',
  32: 'M_ST_TB_1',
  33: 'M_BO_TB_1',
  34: 'M_ME_TD_1',
  35: 'M_ME_TE_1',
  36: 'M_ME_TF_1',
  37: 'M_IT_TB_1',
  38: 'M_EP_TD_1',
  39: 'M_EP_TE_1',
  40: 'M_EP_TF_1',
  45: 'C_SC_NA_1',
  46: 'C_DC_NA_1',
  47: 'C_RC_NA_1',
  48: 'C_SE_NA_1',
  49: 'C_SE_NB_1',
  50: 'C_SE_NC_1',
  51: 'C_BO_NA_1',
  58: 'C_SC_TA_1',
  59: 'C_DC_TA_1',
  60: 'C_RC_TA_1',
  61: 'C_SE_TA_1',
  62: 'C_SE_TB_1',
  63: 'C_SE_TC_1',
  64: 'C_BO_TA_1',
  70: 'M_EI_NA_1',
  100: 'C_IC_NA_1',
  101: 'C_CI_NA_1',
  102: 'C_RD_NA_1',
  103: 'C_CS_NA_1',
  104: 'C_TS_NA_1',
  105: 'C_RP_NA_1',
  106: 'C_CD_NA_1',
  107: 'C_TS_TA_1',
  110: 'P_ME_NA_1',
  111: 'P_ME_NB_1',
  112: 'P_ME_NC_1',
  113: 'P_AC_NA_1',
  120: 'F_FR_NA_1',
  121: 'F_SR_NA_1',
  122: 'F_SC_NA_1',
  123: 'F_LS_NA_1',
  124: 'F_AF_NA_1',
  125: 'F_SG_NA_1',
  126: 'F_DR_TA_1',
  127: 'F_SC_NB_1',
};

/** Causes of transmission, the standard's abbreviations in lower case (101 §7.2.3). */
export const COT_NAMES: Readonly<Record<number, string>> = {
  1: 'per/cyc',
  2: 'back',
  3: 'spont',
  4: 'init',
  5: 'req',
  6: 'act',
  7: 'actcon',
  8: 'deact',
  9: 'deactcon',
  10: 'actterm',
  11: 'retrem',
  12: 'retloc',
  13: 'file',
  20: 'inrogen',
  37: 'reqcogen',
  44: 'unknown_type',
  45: 'unknown_cot',
  46: 'unknown_ca',
  47: 'unknown_ioa',
};
const COT_INRO1 = 21;
const COT_INRO16 = 36;
const COT_REQCO1 = 38;
const COT_REQCO4 = 41;

export const COT_REQ = 5;
export const COT_ACT = 6;
export const COT_ACTCON = 7;
export const COT_DEACT = 8;
export const COT_DEACTCON = 9;
export const COT_ACTTERM = 10;
const COT_UNKNOWN_TYPE = 44;
const COT_UNKNOWN_IOA = 47;

export function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `unknown-${t}`;
}

export function cotName(c: number): string {
  const known = COT_NAMES[c];
  if (known !== undefined) return known;
  if (c >= COT_INRO1 && c <= COT_INRO16) return `inro${c - COT_INRO1 + 1}`;
  if (c >= COT_REQCO1 && c <= COT_REQCO4) return `reqco${c - COT_REQCO1 + 1}`;
  return `unknown-${c}`;
}

/** Types sent in the control direction: commands (C_*) and parameters (P_*) (101 §7.2.1.1). */
export function isControlType(t: number): boolean {
  const n = TYPE_NAMES[t];
  return n !== undefined && (n.startsWith('C_') || n.startsWith('P_'));
}

/**
 * A command being issued (not its confirmation): a control-direction type whose cause is
 * activation, deactivation or request (101 §7.2.3: the controlled station answers with actcon,
 * deactcon, actterm or an unknown_* cause).
 */
export function isCommand(t: number, cause: number): boolean {
  return isControlType(t) && (cause === COT_ACT || cause === COT_DEACT || cause === COT_REQ);
}

/**
 * Sent only by a controlled station (the outstation serving 2404): monitor-direction types
 * (M_*), or a control-direction type returned with its confirmation / termination / refusal.
 */
export function fromOutstation(t: number, cause: number): boolean {
  const n = TYPE_NAMES[t];
  if (n === undefined) return false;
  if (n.startsWith('M_')) return true;
  return isControlType(t) && (cause === COT_ACTCON || cause === COT_DEACTCON || cause === COT_ACTTERM || (cause >= COT_UNKNOWN_TYPE && cause <= COT_UNKNOWN_IOA));
}

export interface Asdu {
  typeId: number;
  /** SQ: the objects are a sequence from one address (true) or each has its own address. */
  sq: boolean;
  numObjects: number;
  cot: number;
  negative: boolean;
  test: boolean;
  originator: number;
  commonAddr: number;
  /** The first information object address, when the ASDU is long enough to hold one. */
  ioa?: number;
}

export interface Apdu {
  format: 'I' | 'S' | 'U';
  /** U-format function (STARTDT_act …). */
  uFunc?: string;
  /** I-format send sequence number N(S). */
  tx?: number;
  /** I- and S-format receive sequence number N(R). */
  rx?: number;
  asdu?: Asdu;
}

/**
 * Length of the APDU starting at `off` (start and length octets included): > 0 known, 0 need
 * more bytes, -1 not an APDU start (wrong start octet or a length below the control field).
 */
export function apduLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 1) return 0;
  if (buf[off] !== START) return -1;
  if (len < 2) return 0;
  const l = buf[off + 1];
  if (l < CONTROL_LEN || l > MAX_APDU_LENGTH) return -1;
  return l + 2;
}

/** Whether control octets at `p` form a valid control field for an APDU length `l` (104 §5.1–5.3). */
export function validControl(buf: Uint8Array, p: number, l: number): boolean {
  const c0 = buf[p];
  if ((c0 & 1) === 0) {
    // I-format: carries an ASDU; the low bit of octet 3 is reserved 0.
    return l >= CONTROL_LEN + ASDU_HEADER_LEN && (buf[p + 2] & 1) === 0;
  }
  if (l !== CONTROL_LEN) return false;
  if ((c0 & 3) === FORMAT_S) return c0 === FORMAT_S && buf[p + 1] === 0 && (buf[p + 2] & 1) === 0;
  return U_FUNCTIONS[c0 & ~FORMAT_U] !== undefined && buf[p + 1] === 0 && buf[p + 2] === 0 && buf[p + 3] === 0;
}

/** Parses one whole APDU of `len` bytes at `off` (as apduLength measured it). */
export function parseApdu(buf: Uint8Array, off: number, len: number): Apdu | 'bad' {
  if (len < APCI_LEN || buf[off] !== START || buf[off + 1] + 2 !== len) return 'bad';
  const l = buf[off + 1];
  const p = off + 2;
  if (!validControl(buf, p, l)) return 'bad';
  const c0 = buf[p];
  const rx = ((buf[p + 2] | (buf[p + 3] << 8)) >>> 1) & 0x7fff;
  if ((c0 & 1) === 0) {
    const tx = ((c0 | (buf[p + 1] << 8)) >>> 1) & 0x7fff;
    return { format: 'I', tx, rx, asdu: parseAsdu(buf, p + CONTROL_LEN, off + len) };
  }
  if ((c0 & 3) === FORMAT_S) return { format: 'S', rx };
  return { format: 'U', uFunc: U_FUNCTIONS[c0 & ~FORMAT_U] };
}

/** The ASDU's data unit identifier and first object address, from `a` to `end` (≥ 6 octets). */
function parseAsdu(buf: Uint8Array, a: number, end: number): Asdu {
  const vsq = buf[a + 1];
  const cot = buf[a + 2];
  const out: Asdu = {
    typeId: buf[a],
    sq: (vsq & VSQ_SQ) !== 0,
    numObjects: vsq & VSQ_NUMBER,
    cot: cot & COT_CAUSE,
    negative: (cot & COT_NEGATIVE) !== 0,
    test: (cot & COT_TEST) !== 0,
    originator: buf[a + 3],
    commonAddr: buf[a + 4] | (buf[a + 5] << 8),
  };
  const o = a + ASDU_HEADER_LEN;
  if (end - o >= IOA_LEN) out.ioa = buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16);
  return out;
}

/**
 * Offset of the next plausible APDU start in buf[off, off+len): a start octet whose length and
 * control field are valid (or not all there yet), or -1. Used to resynchronise after damage.
 */
export function findStart(buf: Uint8Array, off: number, len: number): number {
  const end = off + len;
  for (let i = off; i < end; i++) {
    if (buf[i] !== START) continue;
    if (end - i < 2) return i;
    const l = buf[i + 1];
    if (l < CONTROL_LEN || l > MAX_APDU_LENGTH) continue;
    if (end - i < 2 + CONTROL_LEN) return i;
    if (validControl(buf, i + 2, l)) return i;
  }
  return -1;
}
