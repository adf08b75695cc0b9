// Philips IntelliVue Data Export over UDP (the monitors' LAN interface, built on ISO/IEEE 11073
// MDIB objects): the Connect Indication a monitor broadcasts to port 24005 to announce itself,
// the association control messages and the data export protocol on port 24105 (an SPpdu, then
// ROSE-style remote operation PDUs carrying event reports and poll results).
//
// Layouts follow Philips' "Data Export Interface Programming Guide" (IntelliVue X2, MP and MX
// series) as open implementations of it read them; all numbers are big-endian:
//   Connect Indication: Nomenclature (magic 0x0000, major 1, minor 0) · ROapdus (ro_type,
//     length) · ROIVapdu (invoke_id, command_type, length) · EventReportArgument (managed
//     object class/context/handle, event_time u32, event_type 0x0D17, length) · AttributeList.
//   Data export: SPpdu (session_id 0xE100, p_context_id) · ROapdus · ROIV/RORS/ROER/ROLRS apdu …
//   Association control: a session header byte (0x0D connect, 0x0E accept, 0x0C refuse, 0x09
//     finish, 0x0A disconnect, 0x19 abort) and a length indicator (one byte, or 0xFF + u16).
//   AttributeList: count u16, length u16, then AVA entries (attribute id u16, length u16, value).

import { ipv4At, macAt } from '../l2text.js';

export const CONNECT_INDICATION_PORT = 24005;
export const DATA_EXPORT_PORT = 24105;

export const RO_INVOKE = 1;
export const RO_RESULT = 2;
export const RO_ERROR = 3;
export const RO_LINKED_RESULT = 5;

export const CMD_EVENT_REPORT = 0;
export const CMD_CONFIRMED_EVENT_REPORT = 1;
export const CMD_CONFIRMED_ACTION = 7;

export const NOTI_CONNECT_INDICATION = 0x0d17;
export const NOTI_MDS_CREATE = 0x0d06;
export const ACT_POLL_MDIB_DATA = 0x0c16;
export const ACT_POLL_MDIB_DATA_EXT = 0xf13b;
const SESSION_ID_DATA_EXPORT = 0xe100;

/** Association control session header types. */
export const SESSION_TYPES: Readonly<Record<number, string>> = { 0x0d: 'request', 0x0e: 'accept', 0x0c: 'refuse', 0x09: 'release_request', 0x0a: 'release_response', 0x19: 'abort' };

const ATTR_ID_MODEL = 0x0928;
const ATTR_ID_PROD_SPECN = 0x092d;
const ATTR_ID_BED_LABEL = 0x091e;
const ATTR_SYS_ID = 0x0984;
const ATTR_SYS_TYPE = 0x0986;
const ATTR_NET_ADDR_INFO = 0xf100;

/** Patient demographics attributes (NOM_MOC_PT_DEMOG): only their presence is ever reported. */
export const PATIENT_ATTRIBUTES: Readonly<Record<number, string>> = {
  0x095a: 'patient_id',
  0x095c: 'family_name',
  0x095d: 'given_name',
  0x0958: 'birth_date',
  0x0961: 'sex',
  0xf001: 'patient_id_internal',
  0xf129: 'notes',
  0xf12a: 'notes',
};

/** Managed object classes a poll asks for (NOM_MOC_*). */
export const OBJECT_CLASSES: Readonly<Record<number, string>> = {
  1: 'vmo', 5: 'enumerations', 6: 'numerics', 9: 'waves', 33: 'mds', 35: 'mds', 37: 'mds', 41: 'battery', 42: 'patient_demographics', 54: 'alerts',
};
export const MOC_PATIENT_DEMOGRAPHICS = 42;

/** The system types of the MDS (NOM_DEV_*_MDS): what kind of device answers. */
export const SYSTEM_TYPES: Readonly<Record<number, { name: string; deviceClass: string }>> = {
  4429: { name: 'multi-parameter monitor', deviceClass: 'patient_monitor' },
  4449: { name: 'infusion pump', deviceClass: 'infusion_pump' },
  4465: { name: 'ventilator', deviceClass: 'ventilator' },
  4113: { name: 'gas analyzer', deviceClass: 'patient_monitor' },
  4265: { name: 'skin gas meter', deviceClass: 'patient_monitor' },
  4493: { name: 'multi-modal system', deviceClass: 'patient_monitor' },
  5209: { name: 'vital signs monitor', deviceClass: 'patient_monitor' },
  5213: { name: 'vital signs monitor', deviceClass: 'patient_monitor' },
  61821: { name: 'high-resolution trend', deviceClass: 'patient_monitor' },
  61829: { name: 'derived measurements', deviceClass: 'patient_monitor' },
};

/** Production specification entry types. */
const SPEC_SERIAL = 1;
const SPEC_PART = 2;
const SPEC_HW = 3;
const SPEC_SW = 4;
const SPEC_FW = 5;

const MAX_ATTRIBUTES = 128;
const MAX_SPEC_ENTRIES = 32;
const MAX_OBSERVATIONS = 512;
const MAX_CONTEXTS = 16;

function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export interface Attribute {
  id: number;
  off: number;
  len: number;
}

/** An AttributeList at `off` (count, length, AVAs); null when its length overruns `end`. */
export function attributeList(b: Uint8Array, off: number, end: number): { attrs: Attribute[]; next: number } | null {
  if (off + 4 > end) return null;
  const count = be16(b, off);
  const length = be16(b, off + 2);
  const stop = off + 4 + length;
  if (stop > end) return null;
  const attrs: Attribute[] = [];
  let o = off + 4;
  for (let i = 0; i < count && i < MAX_ATTRIBUTES && o + 4 <= stop; i++) {
    const id = be16(b, o);
    const len = be16(b, o + 2);
    if (o + 4 + len > stop) break;
    attrs.push({ id, off: o + 4, len });
    o += 4 + len;
  }
  return { attrs, next: stop };
}

/** A VariableLabel (u16 length, then bytes) as trimmed printable text, or undefined. */
function variableLabel(b: Uint8Array, off: number, end: number): { text: string | undefined; next: number } | null {
  if (off + 2 > end) return null;
  const n = be16(b, off);
  if (off + 2 + n > end) return null;
  let s = '';
  for (let i = off + 2; i < off + 2 + n; i++) {
    const c = b[i];
    if (c === 0) break;
    if (c < 0x20 || c > 0x7e) return { text: undefined, next: off + 2 + n };
    s += String.fromCharCode(c);
  }
  s = s.trim();
  return { text: s === '' || /^-+$/.test(s) ? undefined : s, next: off + 2 + n };
}

/** A String attribute (u16 byte length, UTF-16BE characters) as trimmed text. */
function unicodeString(b: Uint8Array, off: number, end: number): string | undefined {
  if (off + 2 > end) return undefined;
  const n = be16(b, off);
  const stop = Math.min(end, off + 2 + n);
  let s = '';
  for (let i = off + 2; i + 1 < stop; i += 2) {
    const c = be16(b, i);
    if (c === 0) break;
    if (c < 0x20) return undefined;
    s += String.fromCharCode(c);
  }
  s = s.trim();
  return s === '' ? undefined : s;
}


export type Identity = {
  manufacturer?: string;
  model?: string;
  serial?: string;
  part_number?: string;
  hardware_revision?: string;
  software_revision?: string;
  firmware_revision?: string;
  system_type?: string;
  system_type_code?: number;
  device_class?: string;
  mac?: string;
  announced_ip?: string;
  bed_label?: string;
};

/** What an MDS's attributes say about the device (Connect Indication or MDS Create). */
export function identity(b: Uint8Array, attrs: readonly Attribute[]): Identity {
  const out: Identity = {};
  for (const a of attrs) {
    const end = a.off + a.len;
    switch (a.id) {
      case ATTR_ID_MODEL: {
        const m = variableLabel(b, a.off, end);
        const n = m === null ? null : variableLabel(b, m.next, end);
        if (m?.text !== undefined) out.manufacturer ??= m.text;
        if (n?.text !== undefined) out.model ??= n.text;
        break;
      }
      case ATTR_ID_PROD_SPECN: {
        if (a.len < 4) break;
        const count = be16(b, a.off);
        let o = a.off + 4;
        for (let i = 0; i < count && i < MAX_SPEC_ENTRIES && o + 4 <= end; i++) {
          const type = be16(b, o);
          const v = variableLabel(b, o + 4, end);
          if (v === null) break;
          o = v.next;
          if (v.text === undefined) continue;
          if (type === SPEC_SERIAL) out.serial ??= v.text;
          else if (type === SPEC_PART) out.part_number ??= v.text;
          else if (type === SPEC_HW) out.hardware_revision ??= v.text;
          else if (type === SPEC_SW) out.software_revision ??= v.text;
          else if (type === SPEC_FW) out.firmware_revision ??= v.text;
        }
        break;
      }
      case ATTR_SYS_TYPE:
        if (a.len >= 4) {
          const code = be16(b, a.off + 2);
          out.system_type_code = code;
          const t = SYSTEM_TYPES[code];
          if (t !== undefined) {
            out.system_type = t.name;
            out.device_class = t.deviceClass;
          }
        }
        break;
      case ATTR_SYS_ID: {
        if (a.len >= 8 && be16(b, a.off) === 6) out.mac ??= macAt(b, a.off + 2);
        break;
      }
      case ATTR_NET_ADDR_INFO:
        if (a.len >= 14) {
          out.mac ??= macAt(b, a.off);
          out.announced_ip = ipv4At(b, a.off + 6);
        }
        break;
      case ATTR_ID_BED_LABEL:
        out.bed_label ??= unicodeString(b, a.off, end);
        break;
    }
  }
  return out;
}

// ---- messages ----------------------------------------------------------------------------

export interface ConnectIndication {
  attrs: Attribute[];
}

/** A Connect Indication datagram (the monitor's announcement), or null. */
export function parseConnectIndication(b: Uint8Array, off: number, len: number): ConnectIndication | null {
  const end = off + len;
  // Nomenclature: magic 0, major version 1.
  if (len < 32 || be16(b, off) !== 0 || b[off + 2] !== 1) return null;
  if (be16(b, off + 4) !== RO_INVOKE || off + 8 + be16(b, off + 6) > end) return null;
  const roiv = off + 8;
  if (be16(b, roiv + 2) !== CMD_EVENT_REPORT) return null;
  const arg = roiv + 6;
  if (be16(b, arg + 10) !== NOTI_CONNECT_INDICATION) return null;
  const list = attributeList(b, arg + 14, end);
  return list === null ? null : { attrs: list.attrs };
}

/** The association control header: type and the length it announces; null when it does not fill the datagram. */
export function parseSessionHeader(b: Uint8Array, off: number, len: number): { type: number; name: string } | null {
  if (len < 2) return null;
  const name = SESSION_TYPES[b[off]];
  if (name === undefined) return null;
  let li = b[off + 1];
  let head = 2;
  if (li === 0xff) {
    if (len < 4) return null;
    li = be16(b, off + 2);
    head = 4;
  }
  return head + li === len ? { type: b[off], name } : null;
}

export interface DataExport {
  roType: number;
  command: number;
  /** Event type (event reports) or action type (action results). */
  op: number;
  /** Offset of the event or action argument after its header (managed object, …, length). */
  body: number;
  end: number;
}

/** An SPpdu-framed data export message: its remote operation and where its argument starts. */
export function parseDataExport(b: Uint8Array, off: number, len: number): DataExport | null {
  const end = off + len;
  if (len < 14 || be16(b, off) !== SESSION_ID_DATA_EXPORT) return null;
  const roType = be16(b, off + 4);
  const roLen = be16(b, off + 6);
  if (off + 8 + roLen > end) return null;
  let p = off + 8;
  if (roType === RO_LINKED_RESULT) p += 2; // RorlsId: state, count
  else if (roType !== RO_INVOKE && roType !== RO_RESULT && roType !== RO_ERROR) return null;
  if (p + 6 > end) return null;
  const command = be16(b, p + 2);
  if (roType === RO_ERROR) return { roType, command: -1, op: -1, body: p + 6, end };
  // Event report / action argument: managed object (6 bytes), then for events event_time (4).
  // Event reports carry event_time (argument) or current_time (result) before the event type;
  // an action argument carries its scope before the action type; an action result nothing.
  const isEvent = command === CMD_EVENT_REPORT || command === CMD_CONFIRMED_EVENT_REPORT;
  const opAt = p + 6 + 6 + (isEvent || roType === RO_INVOKE ? 4 : 0);
  if (opAt + 4 > end) return { roType, command, op: -1, body: end, end };
  return { roType, command, op: be16(b, opAt), body: opAt + 4, end };
}

export interface PollResult {
  objectClass: number;
  observations: number;
  /** Patient attributes that carried a value (names only). */
  patientFields: string[];
}

/**
 * A poll result (PollMdibDataReply or its extended form): the polled object class, how many
 * objects were reported, and which patient-demographics attributes held a value.
 */
export function parsePollResult(b: Uint8Array, body: number, end: number, extended: boolean): PollResult | null {
  // poll_number u16, [sequence_no u16], rel_time_stamp u32, abs_time_stamp 8, polled_obj_type
  // (partition u16, code u16), polled_attr_grp u16, then the poll info list.
  let p = body + 2 + (extended ? 2 : 0) + 4 + 8;
  if (p + 6 + 4 > end) return null;
  const objectClass = be16(b, p + 2);
  p += 6;
  const contexts = be16(b, p);
  const listEnd = Math.min(end, p + 4 + be16(b, p + 2));
  p += 4;
  const out: PollResult = { objectClass, observations: 0, patientFields: [] };
  for (let c = 0; c < contexts && c < MAX_CONTEXTS && p + 6 <= listEnd; c++) {
    // SingleContextPoll: context_id u16, then ObservationPoll list (count u16, length u16).
    const n = be16(b, p + 2);
    const stop = Math.min(listEnd, p + 6 + be16(b, p + 4));
    p += 6;
    for (let i = 0; i < n && out.observations < MAX_OBSERVATIONS && p + 2 <= stop; i++) {
      out.observations++;
      const list = attributeList(b, p + 2, stop);
      if (list === null) return out;
      for (const a of list.attrs) {
        const name = PATIENT_ATTRIBUTES[a.id];
        if (name !== undefined && hasValue(b, a) && !out.patientFields.includes(name)) out.patientFields.push(name);
      }
      p = list.next;
    }
    p = stop;
  }
  out.patientFields.sort();
  return out;
}

const ATTR_PT_DOB = 0x0958;
const ATTR_PT_SEX = 0x0961;

/**
 * A patient attribute holds something: a String (u16 byte length, UTF-16BE) with a non-blank
 * character, a birth date (AbsoluteTime, BCD) not left at 0x00 or 0xFF, a sex other than
 * unspecified (0).
 */
function hasValue(b: Uint8Array, a: Attribute): boolean {
  const end = a.off + a.len;
  if (a.id === ATTR_PT_DOB) {
    for (let i = a.off; i < end; i++) if (b[i] !== 0 && b[i] !== 0xff) return true;
    return false;
  }
  if (a.id === ATTR_PT_SEX) return a.len >= 2 && be16(b, a.off) !== 0;
  if (a.len < 2) return false;
  const stop = Math.min(end, a.off + 2 + be16(b, a.off));
  for (let i = a.off + 2; i + 1 < stop; i += 2) {
    const c = be16(b, i);
    if (c !== 0 && c !== 0x20) return true;
  }
  return false;
}
