// Cheap recognition of DICOM on any port (PS3.8 §9.3.2): an A-ASSOCIATE-RQ opens every
// association, with reserved byte 0, a length that fits the fixed fields, protocol version 1
// and the application context item (0x10) right after the 68 fixed bytes. A capture that starts
// while an association is open (a modality's or a PACS's can last hours) shows P-DATA-TF
// instead: a command fragment whose command set opens with its Command Group Length (0000,0000)
// — Type 1 in every command (PS3.7 §9.3, §10.3), always Implicit VR Little Endian — is DICOM;
// a P-DATA-TF or release PDU from each side of the flow is too (the analyzer's pairedMaybe).
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { PDU_ABORT, PDU_ASSOCIATE_RQ, PDU_HEADER_LEN, PDU_P_DATA_TF, PROTOCOL_VERSION_1 } from './parse.js';

/** Fixed part of an A-ASSOCIATE-RQ (68) plus an application context item header (4). */
const MIN_RQ_LEN = 72;
/** No real A-ASSOCIATE-RQ is bigger than this. */
const MAX_RQ_LEN = 1 << 20;
const APP_CONTEXT_ITEM_OFF = PDU_HEADER_LEN + 68;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 2) return PROBE_NO;
  if (buf[off] === PDU_P_DATA_TF) return pData(buf, off, len);
  if (!isOrig || buf[off] !== PDU_ASSOCIATE_RQ || buf[off + 1] !== 0) return len >= PDU_HEADER_LEN && looksLikePdu(buf, off, len) ? PROBE_MAYBE : PROBE_NO;
  if (len < PDU_HEADER_LEN + 2) return PROBE_MAYBE;
  const pduLen = ((buf[off + 2] << 24) >>> 0) + (buf[off + 3] << 16) + (buf[off + 4] << 8) + buf[off + 5];
  if (pduLen < MIN_RQ_LEN || pduLen > MAX_RQ_LEN) return PROBE_NO;
  const version = (buf[off + 6] << 8) | buf[off + 7];
  if (!(version & PROTOCOL_VERSION_1)) return PROBE_NO;
  if (len <= APP_CONTEXT_ITEM_OFF) return PROBE_MAYBE;
  if (buf[off + APP_CONTEXT_ITEM_OFF] !== 0x10) return PROBE_NO;
  // The application context name is a DICOM UID (PS3.7 Annex A: 1.2.840.10008.3.1.1.1).
  const p = APP_CONTEXT_ITEM_OFF + 4;
  if (len < p + DICOM_UID_ROOT.length) return PROBE_YES;
  for (let i = 0; i < DICOM_UID_ROOT.length; i++) if (buf[off + p + i] !== DICOM_UID_ROOT.charCodeAt(i)) return PROBE_YES;
  return PROBE_CERTAIN;
}

const DICOM_UID_ROOT = '1.2.840.10008.';

/** PDU header, PDV item length, presentation context id, message control header. */
export const PDV_HEADER_END = PDU_HEADER_LEN + 6;
/** (0000,0000) UL, length 4, in Implicit VR Little Endian: how every command set begins. */
const COMMAND_GROUP_LENGTH = [0, 0, 0, 0, 4, 0, 0, 0];
const MCH_COMMAND = 0x01;

/**
 * A P-DATA-TF's first PDV: YES when it is a command fragment opening with the Command Group
 * Length, MAYBE when the chunk holds only the PDV's header (some toolkits, DCMTK among them,
 * send it apart) or a data fragment, NO when the headers are inconsistent.
 */
function pData(buf: Uint8Array, off: number, len: number): number {
  if (len < PDV_HEADER_END || !looksLikePdu(buf, off, len)) return PROBE_NO;
  if ((buf[off + PDU_HEADER_LEN + 5] & MCH_COMMAND) === 0) return PROBE_MAYBE;
  if (len === PDV_HEADER_END) return PROBE_MAYBE;
  if (len < PDV_HEADER_END + COMMAND_GROUP_LENGTH.length) return PROBE_NO;
  for (let i = 0; i < COMMAND_GROUP_LENGTH.length; i++) if (buf[off + PDV_HEADER_END + i] !== COMMAND_GROUP_LENGTH[i]) return PROBE_NO;
  return PROBE_YES;
}

/**
 * Whether a chunk plausibly starts a PDU: a known type, reserved byte 0, and for P-DATA-TF a
 * first PDV item that fits the PDU. Used to resynchronise after a gap and on well-known ports.
 */
/**
 * How many bytes looksLikePdu needs to judge bytes that begin like a PDU (its type and reserved
 * octet, as far as they go): 12 for P-DATA-TF (header and first PDV header), 6 for the others;
 * 0 when the bytes already cannot start a PDU.
 */
export function pduJudgeLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 1) return PDU_HEADER_LEN;
  const t = buf[off];
  if (t < PDU_ASSOCIATE_RQ || t > PDU_ABORT || (len >= 2 && buf[off + 1] !== 0)) return 0;
  return t === PDU_P_DATA_TF ? PDV_HEADER_END : PDU_HEADER_LEN;
}

export function looksLikePdu(buf: Uint8Array, off: number, len: number): boolean {
  if (len < PDU_HEADER_LEN) return false;
  const t = buf[off];
  if (t < PDU_ASSOCIATE_RQ || t > PDU_ABORT || buf[off + 1] !== 0) return false;
  const pduLen = ((buf[off + 2] << 24) >>> 0) + (buf[off + 3] << 16) + (buf[off + 4] << 8) + buf[off + 5];
  if (t === PDU_P_DATA_TF) {
    if (len < PDU_HEADER_LEN + 4) return false;
    const item = ((buf[off + 6] << 24) >>> 0) + (buf[off + 7] << 16) + (buf[off + 8] << 8) + buf[off + 9];
    if (item < 2 || item + 4 > pduLen) return false;
    if (len < PDV_HEADER_END) return true;
    // Presentation context ids are odd (PS3.8 §9.3.2.2); the message control header uses two bits (Annex E).
    return (buf[off + 10] & 1) === 1 && buf[off + 11] <= 3;
  }
  if (t >= 5) return pduLen === 4;
  return pduLen >= 4 && pduLen <= MAX_RQ_LEN;
}
