// DICOM upper layer (PS3.8 §9.3) and DIMSE message parsing (PS3.7 §9.3, §E): pure functions
// from bytes to fields or a status. Command sets are always Implicit VR Little Endian
// (PS3.7 §6.3.1); data sets use the presentation context's transfer syntax (PS3.5 §7.1,
// §A.1, §A.2). Nothing here keeps state or reads outside [off, off + len).

export const PDU_ASSOCIATE_RQ = 0x01;
export const PDU_ASSOCIATE_AC = 0x02;
export const PDU_ASSOCIATE_RJ = 0x03;
export const PDU_P_DATA_TF = 0x04;
export const PDU_RELEASE_RQ = 0x05;
export const PDU_RELEASE_RP = 0x06;
export const PDU_ABORT = 0x07;

/** PDU header: type, reserved, 32-bit big-endian length (PS3.8 §9.3.1). */
export const PDU_HEADER_LEN = 6;
/** PDV item header inside P-DATA-TF: 32-bit length, context id, message control header. */
export const PDV_HEADER_LEN = 6;
/** Protocol version bit 0 of A-ASSOCIATE-RQ/AC (PS3.8 §9.3.2). */
export const PROTOCOL_VERSION_1 = 0x0001;
/** Fixed part of A-ASSOCIATE-RQ/AC after the header: version, reserved, AE titles, reserved. */
const ASSOC_FIXED_LEN = 68;
const AE_TITLE_LEN = 16;
const CALLED_AE_OFF = 4;
const CALLING_AE_OFF = 20;

const ITEM_APP_CONTEXT = 0x10;
const ITEM_PRES_CONTEXT_RQ = 0x20;
const ITEM_PRES_CONTEXT_AC = 0x21;
const ITEM_ABSTRACT_SYNTAX = 0x30;
const ITEM_TRANSFER_SYNTAX = 0x40;
const ITEM_USER_INFO = 0x50;
const SUB_MAX_LENGTH = 0x51;
const SUB_IMPL_CLASS_UID = 0x52;
const SUB_IMPL_VERSION = 0x55;
const SUB_USER_IDENTITY_RQ = 0x58;
const SUB_USER_IDENTITY_AC = 0x59;

/** Bounds on what one association may list. */
export const MAX_CONTEXTS = 128;
export const MAX_UID_LEN = 64;
const MAX_ITEMS = 1024;

/** PDV message control header bits (PS3.8 §E.2). */
export const MCH_COMMAND = 0x01;
export const MCH_LAST = 0x02;

export type ParseStatus = 'need_more' | 'bad';

export interface PduHeader {
  type: number;
  length: number;
}

/** Reads a PDU header; 'bad' when the type or reserved byte cannot be DICOM. */
export function parsePduHeader(buf: Uint8Array, off: number, len: number): PduHeader | ParseStatus {
  if (len < PDU_HEADER_LEN) return 'need_more';
  const type = buf[off];
  if (type < PDU_ASSOCIATE_RQ || type > PDU_ABORT) return 'bad';
  const length = ((buf[off + 2] << 24) >>> 0) + (buf[off + 3] << 16) + (buf[off + 4] << 8) + buf[off + 5];
  return { type, length };
}

export interface PresentationContext {
  id: number;
  /** Only in A-ASSOCIATE-RQ. */
  abstractSyntax?: string;
  transferSyntaxes: string[];
  /** Only in A-ASSOCIATE-AC: 0 acceptance, 1 user-rejection, 2 no-reason, 3 abstract syntax not supported, 4 transfer syntaxes not supported. */
  result?: number;
}

export interface Associate {
  /** RQ or AC. */
  type: number;
  protocolVersion: number;
  calledAe: string;
  callingAe: string;
  applicationContext: string;
  contexts: PresentationContext[];
  maxPduLength?: number;
  implementationClassUid?: string;
  implementationVersion?: string;
  /** User identity negotiation type (PS3.7 §D.3.3.7): 1 username, 2 username+passcode, 3 Kerberos, 4 SAML, 5 JWT. */
  userIdentityType?: number;
  /** The user name of types 1 and 2 (not a secret); the passcode and tokens are never read. */
  userIdentityUser?: string;
  /**
   * Where the passcode of type 2 lies in the parsed buffer ([offset, length]): the caller digests
   * it at once; the parser never copies it.
   */
  userIdentitySecret?: [number, number];
  /** A-ASSOCIATE-AC carried a user identity server response. */
  userIdentityAccepted?: boolean;
}

/** Printable text of an AE title or UID: trailing spaces and NULs trimmed, bounded. */
function text(buf: Uint8Array, off: number, len: number, max: number): string {
  let end = off + Math.min(len, max);
  while (end > off && (buf[end - 1] === 0x20 || buf[end - 1] === 0x00)) end--;
  let start = off;
  while (start < end && buf[start] === 0x20) start++;
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}

function u16(buf: Uint8Array, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) >>> 0) + (buf[off + 1] << 16) + (buf[off + 2] << 8) + buf[off + 3];
}

/**
 * Parses the body (after the 6-byte header) of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2, §9.3.3).
 * Unknown items are skipped; an item overrunning the PDU makes it 'bad'.
 */
export function parseAssociate(type: number, buf: Uint8Array, off: number, len: number): Associate | ParseStatus {
  if (len < ASSOC_FIXED_LEN) return 'bad';
  const a: Associate = {
    type,
    protocolVersion: u16(buf, off),
    calledAe: text(buf, off + CALLED_AE_OFF, AE_TITLE_LEN, AE_TITLE_LEN),
    callingAe: text(buf, off + CALLING_AE_OFF, AE_TITLE_LEN, AE_TITLE_LEN),
    applicationContext: '',
    contexts: [],
  };
  const end = off + len;
  let p = off + ASSOC_FIXED_LEN;
  let items = 0;
  while (p + 4 <= end) {
    if (++items > MAX_ITEMS) return 'bad';
    const itemType = buf[p];
    const itemLen = u16(buf, p + 2);
    const body = p + 4;
    if (body + itemLen > end) return 'bad';
    if (itemType === ITEM_APP_CONTEXT) a.applicationContext = text(buf, body, itemLen, MAX_UID_LEN);
    else if (itemType === ITEM_PRES_CONTEXT_RQ || itemType === ITEM_PRES_CONTEXT_AC) {
      const pc = parsePresentationContext(itemType, buf, body, itemLen);
      if (pc === 'bad') return 'bad';
      if (a.contexts.length < MAX_CONTEXTS) a.contexts.push(pc);
    } else if (itemType === ITEM_USER_INFO) {
      if (parseUserInfo(a, buf, body, itemLen) === 'bad') return 'bad';
    }
    p = body + itemLen;
  }
  return a;
}

function parsePresentationContext(itemType: number, buf: Uint8Array, off: number, len: number): PresentationContext | 'bad' {
  if (len < 4) return 'bad';
  const pc: PresentationContext = { id: buf[off], transferSyntaxes: [] };
  if (itemType === ITEM_PRES_CONTEXT_AC) pc.result = buf[off + 2];
  const end = off + len;
  let p = off + 4;
  while (p + 4 <= end) {
    const t = buf[p];
    const l = u16(buf, p + 2);
    if (p + 4 + l > end) return 'bad';
    if (t === ITEM_ABSTRACT_SYNTAX) pc.abstractSyntax = text(buf, p + 4, l, MAX_UID_LEN);
    else if (t === ITEM_TRANSFER_SYNTAX && pc.transferSyntaxes.length < 32) pc.transferSyntaxes.push(text(buf, p + 4, l, MAX_UID_LEN));
    p += 4 + l;
  }
  return pc;
}

function parseUserInfo(a: Associate, buf: Uint8Array, off: number, len: number): 'ok' | 'bad' {
  const end = off + len;
  let p = off;
  while (p + 4 <= end) {
    const t = buf[p];
    const l = u16(buf, p + 2);
    const b = p + 4;
    if (b + l > end) return 'bad';
    if (t === SUB_MAX_LENGTH && l >= 4) a.maxPduLength = u32(buf, b);
    else if (t === SUB_IMPL_CLASS_UID) a.implementationClassUid = text(buf, b, l, MAX_UID_LEN);
    else if (t === SUB_IMPL_VERSION) a.implementationVersion = text(buf, b, l, AE_TITLE_LEN);
    else if (t === SUB_USER_IDENTITY_RQ && l >= 4) {
      // type(1) positive-response-requested(1) primary-length(2) primary secondary-length(2)
      // secondary. The secondary field (the passcode) is located, never decoded.
      a.userIdentityType = buf[b];
      const pl = u16(buf, b + 2);
      const subEnd = b + l;
      if ((a.userIdentityType === 1 || a.userIdentityType === 2) && b + 4 + pl <= subEnd) a.userIdentityUser = text(buf, b + 4, pl, MAX_UID_LEN);
      const so = b + 4 + pl;
      if (a.userIdentityType === 2 && so + 2 <= subEnd) {
        const sl = u16(buf, so);
        if (so + 2 + sl <= subEnd) a.userIdentitySecret = [so + 2, sl];
      }
    } else if (t === SUB_USER_IDENTITY_AC) a.userIdentityAccepted = true;
    p = b + l;
  }
  return 'ok';
}

export interface Reject {
  /** 1 rejected-permanent, 2 rejected-transient. */
  result: number;
  /** 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation). */
  source: number;
  reason: number;
}

/** A-ASSOCIATE-RJ body (PS3.8 §9.3.4). */
export function parseReject(buf: Uint8Array, off: number, len: number): Reject | ParseStatus {
  if (len < 4) return 'bad';
  return { result: buf[off + 1], source: buf[off + 2], reason: buf[off + 3] };
}

export interface Abort {
  /** 0 service-user, 2 service-provider. */
  source: number;
  reason: number;
}

/** A-ABORT body (PS3.8 §9.3.8). */
export function parseAbort(buf: Uint8Array, off: number, len: number): Abort | ParseStatus {
  if (len < 4) return 'bad';
  return { source: buf[off + 2], reason: buf[off + 3] };
}

export function rejectText(r: Reject): string {
  const permanence = r.result === 1 ? 'permanent' : r.result === 2 ? 'transient' : `result-${r.result}`;
  let reason = `reason-${r.reason}`;
  if (r.source === 1) reason = ['', 'no-reason-given', 'application-context-name-not-supported', 'calling-AE-title-not-recognized', '', '', '', 'called-AE-title-not-recognized'][r.reason] || reason;
  else if (r.source === 2) reason = ['', 'no-reason-given', 'protocol-version-not-supported'][r.reason] || reason;
  else if (r.source === 3) reason = ['', 'temporary-congestion', 'local-limit-exceeded'][r.reason] || reason;
  return `rejected-${permanence}:${reason}`;
}

// ---- DIMSE command sets (group 0000, Implicit VR Little Endian) ----

const TAG_AFFECTED_SOP_CLASS = 0x00000002;
const TAG_REQUESTED_SOP_CLASS = 0x00000003;
const TAG_COMMAND_FIELD = 0x00000100;
const TAG_MESSAGE_ID = 0x00000110;
const TAG_MESSAGE_ID_RESPONDED = 0x00000120;
const TAG_DATA_SET_TYPE = 0x00000800;
const TAG_STATUS = 0x00000900;
/** Move Destination (0000,0600): the AE title a C-MOVE sends the matches to. */
const TAG_MOVE_DESTINATION = 0x00000600;
const MAX_AE_LEN = 16;
/** CommandDataSetType value meaning "no data set follows" (PS3.7 §E.1). */
export const NO_DATA_SET = 0x0101;
const MAX_ELEMENTS = 256;

export interface Command {
  /** CommandField (0000,0100). */
  field: number;
  name: string;
  sopClass?: string;
  messageId?: number;
  status?: number;
  /** A C-MOVE-RQ's destination AE title. */
  moveDestination?: string;
  hasDataSet: boolean;
}

const COMMAND_NAMES: Record<number, string> = {
  0x0001: 'C-STORE-RQ',
  0x8001: 'C-STORE-RSP',
  0x0010: 'C-GET-RQ',
  0x8010: 'C-GET-RSP',
  0x0020: 'C-FIND-RQ',
  0x8020: 'C-FIND-RSP',
  0x0021: 'C-MOVE-RQ',
  0x8021: 'C-MOVE-RSP',
  0x0030: 'C-ECHO-RQ',
  0x8030: 'C-ECHO-RSP',
  0x0100: 'N-EVENT-REPORT-RQ',
  0x8100: 'N-EVENT-REPORT-RSP',
  0x0110: 'N-GET-RQ',
  0x8110: 'N-GET-RSP',
  0x0120: 'N-SET-RQ',
  0x8120: 'N-SET-RSP',
  0x0130: 'N-ACTION-RQ',
  0x8130: 'N-ACTION-RSP',
  0x0140: 'N-CREATE-RQ',
  0x8140: 'N-CREATE-RSP',
  0x0150: 'N-DELETE-RQ',
  0x8150: 'N-DELETE-RSP',
  0x0fff: 'C-CANCEL-RQ',
};

export function commandName(field: number): string {
  return COMMAND_NAMES[field] ?? `UNKNOWN-0x${field.toString(16).padStart(4, '0')}`;
}

/** Status classes (PS3.7 Annex C). */
export function statusText(status: number): string {
  if (status === 0x0000) return 'success';
  if (status === 0xff00 || status === 0xff01) return 'pending';
  if (status === 0xfe00) return 'cancel';
  if (status === 0x0001 || (status & 0xf000) === 0xb000) return 'warning';
  return 'failure';
}

/** Parses a complete command set. 'bad' when an element overruns or CommandField is missing. */
export function parseCommand(buf: Uint8Array, off: number, len: number): Command | ParseStatus {
  const end = off + len;
  let p = off;
  let field = -1;
  const c: Command = { field: 0, name: '', hasDataSet: false };
  let dataSetType = NO_DATA_SET;
  let n = 0;
  while (p + 8 <= end) {
    if (++n > MAX_ELEMENTS) return 'bad';
    const tag = (((buf[p + 1] << 8) | buf[p]) * 0x10000 + ((buf[p + 3] << 8) | buf[p + 2])) >>> 0;
    const vl = (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16)) + buf[p + 7] * 0x1000000;
    const v = p + 8;
    if (v + vl > end) return 'bad';
    if (tag >>> 16 !== 0) return 'bad';
    if (tag === TAG_COMMAND_FIELD && vl >= 2) field = buf[v] | (buf[v + 1] << 8);
    else if ((tag === TAG_AFFECTED_SOP_CLASS || tag === TAG_REQUESTED_SOP_CLASS) && c.sopClass === undefined) c.sopClass = text(buf, v, vl, MAX_UID_LEN);
    else if ((tag === TAG_MESSAGE_ID || tag === TAG_MESSAGE_ID_RESPONDED) && vl >= 2) c.messageId = buf[v] | (buf[v + 1] << 8);
    else if (tag === TAG_STATUS && vl >= 2) c.status = buf[v] | (buf[v + 1] << 8);
    else if (tag === TAG_DATA_SET_TYPE && vl >= 2) dataSetType = buf[v] | (buf[v + 1] << 8);
    else if (tag === TAG_MOVE_DESTINATION && c.moveDestination === undefined) c.moveDestination = text(buf, v, vl, MAX_AE_LEN);
    p = v + vl;
  }
  if (field < 0) return 'bad';
  c.field = field;
  c.name = commandName(field);
  c.hasDataSet = dataSetType !== NO_DATA_SET;
  return c;
}

// ---- Data sets: find patient (group 0010) tags without reading their values ----

export const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const TS_DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';

export const PATIENT_GROUP = 0x0010;
const UNDEFINED_LENGTH = 0xffffffff;
const TAG_ITEM = 0xfffee000;
const TAG_ITEM_DELIM = 0xfffee00d;
const TAG_SEQ_DELIM = 0xfffee0dd;
const MAX_DEPTH = 8;
const MAX_DATASET_ELEMENTS = 4096;
/** Explicit VRs with a 2-byte reserved field and a 32-bit length (PS3.5 §7.1.2). */
export const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export type Encoding = 'implicit_le' | 'explicit_le' | 'explicit_be';

/** The data set encoding of a transfer syntax, or null where it cannot be read (deflate). */
export function encodingOf(ts: string | undefined): Encoding | null {
  if (ts === undefined || ts === TS_IMPLICIT_LE) return 'implicit_le';
  if (ts === TS_DEFLATED_LE) return null;
  if (ts === TS_EXPLICIT_BE) return 'explicit_be';
  // Every other standard transfer syntax (JPEG, RLE, MPEG …) encodes the data set as
  // Explicit VR Little Endian; only the pixel data is encapsulated (PS3.5 §A.4).
  return 'explicit_le';
}

export interface DataSetScan {
  /** Group 0010 tags with a non-empty value, as "(0010,0010)", in order of first appearance. */
  patientTags: string[];
  /** The scan stopped at the end of the bytes it had (a truncated data set). */
  truncated: boolean;
  /** The bytes could not be parsed as the encoding. */
  malformed: boolean;
  /** As a query identifier (C-FIND-RQ): QueryRetrieveLevel (0008,0052), '' when absent. */
  level: string;
  /** Top-level keys other than the level and the character set. */
  keys: number;
  /** A key holds a value that narrows the match: neither empty nor only "*" (PS3.4 C.2.2.2). */
  narrowed: boolean;
}

function tagText(tag: number): string {
  const g = (tag >>> 16).toString(16).padStart(4, '0');
  const e = (tag & 0xffff).toString(16).padStart(4, '0');
  return `(${g},${e})`;
}

const TAG_QUERY_LEVEL = 0x00080052;
const TAG_CHARSET = 0x00080005;
const MAX_LEVEL_LEN = 16;

/**
 * A top-level element as a query key: the level is read (a code string, never patient data);
 * any other value is only tested for universal matching — empty, or wildcards "*" with padding —
 * and never kept.
 */
function queryKey(buf: Uint8Array, tag: number, v: number, vl: number, isSeq: boolean, out: DataSetScan): void {
  if (tag === TAG_CHARSET) return;
  if (tag === TAG_QUERY_LEVEL) {
    let t = '';
    for (let i = v; i < v + Math.min(vl, MAX_LEVEL_LEN); i++) {
      const c = buf[i];
      if (c >= 0x41 && c <= 0x5a) t += String.fromCharCode(c);
    }
    out.level = t;
    return;
  }
  out.keys++;
  if (isSeq || vl === 0 || out.narrowed) return;
  for (let i = v; i < v + vl; i++) {
    const c = buf[i];
    if (c !== 0x2a && c !== 0x20 && c !== 0) {
      out.narrowed = true;
      return;
    }
  }
}

/**
 * Walks a data set's elements (nested sequences included, depth-bounded) and lists the patient
 * module tags that carry a value. Values are skipped by length, never decoded.
 */
export function scanDataSet(buf: Uint8Array, off: number, len: number, enc: Encoding): DataSetScan {
  const out: DataSetScan = { patientTags: [], truncated: false, malformed: false, level: '', keys: 0, narrowed: false };
  const st = { p: off, n: 0 };
  walk(buf, off + len, enc, st, out, 0, -1);
  return out;
}

/**
 * Reads elements from st.p up to `end`. `until` is the delimiter tag that closes this level
 * (item or sequence delimiter) or -1 at the top level. Returns false to stop the whole scan.
 */
function walk(buf: Uint8Array, end: number, enc: Encoding, st: { p: number; n: number }, out: DataSetScan, depth: number, until: number): boolean {
  const be = enc === 'explicit_be';
  while (st.p < end) {
    if (++st.n > MAX_DATASET_ELEMENTS) {
      out.truncated = true;
      return false;
    }
    const p = st.p;
    if (p + 8 > end) {
      out.truncated = true;
      return false;
    }
    const group = be ? (buf[p] << 8) | buf[p + 1] : buf[p] | (buf[p + 1] << 8);
    const elem = be ? (buf[p + 2] << 8) | buf[p + 3] : buf[p + 2] | (buf[p + 3] << 8);
    const tag = (group * 0x10000 + elem) >>> 0;
    let vl: number;
    let v: number;
    let isSeq = false;
    if (group === 0xfffe) {
      // Item and delimiters have no VR in every encoding (PS3.5 §7.5).
      vl = be ? u32(buf, p + 4) : (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16)) + buf[p + 7] * 0x1000000;
      v = p + 8;
      if (tag === TAG_ITEM_DELIM || tag === TAG_SEQ_DELIM) {
        st.p = v;
        if (tag === until) return true;
        out.malformed = true;
        return false;
      }
      if (tag !== TAG_ITEM) {
        out.malformed = true;
        return false;
      }
      st.p = v;
      if (vl === UNDEFINED_LENGTH) {
        if (depth >= MAX_DEPTH) {
          out.truncated = true;
          return false;
        }
        if (!walk(buf, end, enc, st, out, depth + 1, TAG_ITEM_DELIM)) return false;
      } else {
        const itemEnd = v + vl;
        if (depth >= MAX_DEPTH || itemEnd > end) {
          out.truncated = itemEnd > end;
          return false;
        }
        if (!walk(buf, itemEnd, enc, st, out, depth + 1, -1)) return false;
        st.p = itemEnd;
      }
      continue;
    }
    if (enc === 'implicit_le') {
      vl = (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16)) + buf[p + 7] * 0x1000000;
      v = p + 8;
      // Implicit VR has no VR to say "sequence": an undefined length is one.
      isSeq = vl === UNDEFINED_LENGTH;
    } else {
      const c0 = buf[p + 4];
      const c1 = buf[p + 5];
      if (c0 < 0x41 || c0 > 0x5a || c1 < 0x41 || c1 > 0x5a) {
        out.malformed = true;
        return false;
      }
      const vr = String.fromCharCode(c0, c1);
      if (LONG_VRS.has(vr)) {
        if (p + 12 > end) {
          out.truncated = true;
          return false;
        }
        vl = be ? u32(buf, p + 8) : (buf[p + 8] | (buf[p + 9] << 8) | (buf[p + 10] << 16)) + buf[p + 11] * 0x1000000;
        v = p + 12;
        isSeq = vr === 'SQ' || (vr === 'UN' && vl === UNDEFINED_LENGTH);
      } else {
        vl = be ? (buf[p + 6] << 8) | buf[p + 7] : buf[p + 6] | (buf[p + 7] << 8);
        v = p + 8;
      }
    }
    if (depth === 0 && group >= 0x0008 && vl !== UNDEFINED_LENGTH && v + vl <= end) queryKey(buf, tag, v, vl, isSeq, out);
    if (group === PATIENT_GROUP && elem !== 0 && vl !== 0 && out.patientTags.length < 64) {
      const t = tagText(tag);
      if (!out.patientTags.includes(t)) out.patientTags.push(t);
    }
    if (isSeq && vl === UNDEFINED_LENGTH) {
      st.p = v;
      if (depth >= MAX_DEPTH) {
        out.truncated = true;
        return false;
      }
      if (!walk(buf, end, enc, st, out, depth + 1, TAG_SEQ_DELIM)) return false;
      continue;
    }
    if (vl === UNDEFINED_LENGTH) {
      // Encapsulated pixel data (OB/OW with undefined length): fragments follow as items up
      // to a sequence delimiter; skip them the same way.
      st.p = v;
      if (depth >= MAX_DEPTH || !walk(buf, end, enc, st, out, depth + 1, TAG_SEQ_DELIM)) return false;
      continue;
    }
    if (isSeq) {
      const seqEnd = v + vl;
      st.p = v;
      if (seqEnd > end) {
        // Scan what we have of the sequence, then stop.
        walk(buf, end, enc, st, out, depth + 1, -1);
        out.truncated = true;
        return false;
      }
      if (depth >= MAX_DEPTH || !walk(buf, seqEnd, enc, st, out, depth + 1, -1)) return false;
      st.p = seqEnd;
      continue;
    }
    if (v + vl > end) {
      out.truncated = true;
      return false;
    }
    st.p = v + vl;
  }
  if (until === -1) return true;
  // An undefined-length sequence or item whose delimiter lies beyond the bytes we kept.
  out.truncated = true;
  return false;
}
