// BACnet/IP parser: BVLL (ANSI/ASHRAE 135 Annex J.2), NPDU (§6.2), APDU headers (§20.1) and the
// services that identify a device: Who-Is/I-Am (§16.10), I-Have (§16.9), ReadProperty (§15.5)
// and ReadPropertyMultiple (§15.7) for object-name, vendor-name, model-name, firmware-revision,
// application-software-version, description and location. Pure: bytes in, fields or a status.
import {
  ABORT_REASONS,
  BVLC_FUNCTIONS,
  CONFIRMED_SERVICES,
  ERROR_CODES,
  NETWORK_MESSAGES,
  OBJECT_DEVICE,
  PDU_TYPES,
  PROP_APPLICATION_SOFTWARE_VERSION,
  PROP_DESCRIPTION,
  PROP_FIRMWARE_REVISION,
  PROP_LOCATION,
  PROP_MODEL_NAME,
  PROP_OBJECT_NAME,
  PROP_VENDOR_IDENTIFIER,
  PROP_VENDOR_NAME,
  REJECT_REASONS,
  SEGMENTATION,
  UNCONFIRMED_SERVICES,
  objectTypeName,
  propertyName,
} from './names.js';
import { TAG_CHARACTER_STRING, TAG_ENUMERATED, TAG_OBJECT_ID, TAG_UNSIGNED, Tag, readCharacterString, readObjectId, readTag, readUnsigned } from './tags.js';

export const BVLL_TYPE_BACNET_IP = 0x81;
export const BVLC_HEADER = 4;
export const BVLC_FORWARDED_NPDU = 0x04;
export const BVLC_DISTRIBUTE_BROADCAST = 0x09;
export const BVLC_ORIGINAL_UNICAST = 0x0a;
export const BVLC_ORIGINAL_BROADCAST = 0x0b;
/** Forwarded-NPDU carries the originator's B/IP address (4-octet IP + 2-octet port). */
const BIP_ADDRESS_LEN = 6;
export const NPDU_VERSION = 0x01;

const NPDU_NETWORK_MESSAGE = 0x80;
const NPDU_DNET = 0x20;
const NPDU_SNET = 0x08;
/** Proprietary network messages (0x80 and above) carry a vendor id. */
const NETWORK_MESSAGE_PROPRIETARY = 0x80;

export const PDU_CONFIRMED = 0;
export const PDU_UNCONFIRMED = 1;
export const PDU_SIMPLE_ACK = 2;
export const PDU_COMPLEX_ACK = 3;
export const PDU_SEGMENT_ACK = 4;
export const PDU_ERROR = 5;
export const PDU_REJECT = 6;
export const PDU_ABORT = 7;
const APDU_SEGMENTED = 0x08;
const APDU_MORE_FOLLOWS = 0x04;

const SVC_DEVICE_COMMUNICATION_CONTROL = 17;
const SVC_REINITIALIZE_DEVICE = 20;
const SVC_READ_PROPERTY = 12;
const SVC_READ_PROPERTY_MULTIPLE = 14;
const SVC_I_AM = 0;
const SVC_I_HAVE = 1;
const SVC_WHO_IS = 8;

/** Bounds on what one APDU may make us collect. */
const MAX_PROPERTIES = 64;
const MAX_TAGS = 4096;

/** Device identity a message carried; the keys are bacnet.log's field names. */
export interface Identity {
  object_name?: string;
  vendor_name?: string;
  model_name?: string;
  firmware?: string;
  application_software_version?: string;
  description?: string;
  location?: string;
  vendor_id?: number;
}

export interface BacnetMessage extends Identity {
  bvlc_function: string;
  /** Forwarded-NPDU: the originating device's B/IP address. */
  forwarded_from?: string;
  pdu_type?: string;
  service?: string;
  invoke_id?: number;
  result_code?: string;
  segmented?: boolean;
  /** Segmented messages: this segment's sequence number (0 = the first). */
  sequence_number?: number;
  /** ReadProperty / I-Have: the object and property concerned. */
  object_type?: string;
  instance_number?: number;
  property?: string;
  /** Properties named by a ReadPropertyMultiple request or acknowledgement. */
  properties?: string[];
  /** I-Am. */
  device_instance?: number;
  max_apdu?: number;
  segmentation?: string;
  /** DeviceCommunicationControl / ReinitializeDevice: the password (never logged). */
  password?: string;
  /** Who-Is range. */
  low_limit?: number;
  high_limit?: number;
}

/** Parses one BACnet/IP datagram; 'bad' when it is not BACnet/IP at all. */
export function parseBacnetIp(buf: Uint8Array, off: number, len: number): BacnetMessage | 'bad' {
  if (len < BVLC_HEADER || buf[off] !== BVLL_TYPE_BACNET_IP) return 'bad';
  const func = buf[off + 1];
  const bvlcLen = (buf[off + 2] << 8) | buf[off + 3];
  const name = BVLC_FUNCTIONS[func];
  if (name === undefined || bvlcLen < BVLC_HEADER) return 'bad';
  // Some devices state a BVLC length beyond the datagram; parse what arrived (the analyzer
  // counts the mismatch), as Wireshark and icsnpp-bacnet do.
  const end = off + Math.min(bvlcLen, len);
  const msg: BacnetMessage = { bvlc_function: name };
  let p = off + BVLC_HEADER;
  if (func === BVLC_FORWARDED_NPDU) {
    if (end - p < BIP_ADDRESS_LEN) return 'bad';
    msg.forwarded_from = `${buf[p]}.${buf[p + 1]}.${buf[p + 2]}.${buf[p + 3]}:${(buf[p + 4] << 8) | buf[p + 5]}`;
    p += BIP_ADDRESS_LEN;
  } else if (func !== BVLC_ORIGINAL_UNICAST && func !== BVLC_ORIGINAL_BROADCAST && func !== BVLC_DISTRIBUTE_BROADCAST) {
    if (func === 0 && end - p >= 2) msg.result_code = `0x${((buf[p] << 8) | buf[p + 1]).toString(16).padStart(4, '0')}`;
    return msg;
  }
  return parseNpdu(buf, p, end, msg) ? msg : 'bad';
}

/** The NPDU header (§6.2.2) and whatever it carries. */
function parseNpdu(buf: Uint8Array, p: number, end: number, msg: BacnetMessage): boolean {
  if (end - p < 2 || buf[p] !== NPDU_VERSION) return false;
  const control = buf[p + 1];
  p += 2;
  if (control & NPDU_DNET) {
    if (end - p < 3) return false;
    p += 3 + buf[p + 2];
  }
  if (control & NPDU_SNET) {
    if (end - p < 3) return false;
    p += 3 + buf[p + 2];
  }
  if (control & NPDU_DNET) p += 1; // hop count
  if (p > end) return false;
  if (control & NPDU_NETWORK_MESSAGE) {
    if (p >= end) return false;
    const t = buf[p];
    msg.pdu_type = 'NPDU';
    msg.service = NETWORK_MESSAGES[t] ?? (t >= NETWORK_MESSAGE_PROPRIETARY ? `proprietary_${t}` : `network_message_${t}`);
    return true;
  }
  parseApdu(buf, p, end, msg);
  return true;
}

/** APDU header (§20.1.2-20.1.9) and the identity-bearing service bodies. */
function parseApdu(buf: Uint8Array, p: number, end: number, msg: BacnetMessage): void {
  if (p >= end) return;
  const b0 = buf[p];
  const type = b0 >> 4;
  msg.pdu_type = PDU_TYPES[type] ?? `pdu-type-${type}`;
  switch (type) {
    case PDU_CONFIRMED: {
      const seg = (b0 & APDU_SEGMENTED) !== 0;
      const hdr = seg ? 6 : 4;
      if (end - p < hdr) return;
      msg.invoke_id = buf[p + 2];
      if (seg) {
        msg.segmented = true;
        msg.sequence_number = buf[p + 3];
      }
      const svc = buf[p + hdr - 1];
      msg.service = confirmedName(svc);
      if (!seg || buf[p + 3] === 0) confirmedRequest(buf, p + hdr, end, svc, msg);
      return;
    }
    case PDU_UNCONFIRMED: {
      if (end - p < 2) return;
      const svc = buf[p + 1];
      msg.service = UNCONFIRMED_SERVICES[svc] ?? `unconfirmed_service_${svc}`;
      unconfirmedRequest(buf, p + 2, end, svc, msg);
      return;
    }
    case PDU_SIMPLE_ACK:
      if (end - p < 3) return;
      msg.invoke_id = buf[p + 1];
      msg.service = confirmedName(buf[p + 2]);
      return;
    case PDU_COMPLEX_ACK: {
      const seg = (b0 & APDU_SEGMENTED) !== 0;
      const hdr = seg ? 5 : 3;
      if (end - p < hdr) return;
      msg.invoke_id = buf[p + 1];
      if (seg) {
        msg.segmented = true;
        msg.sequence_number = buf[p + 2];
      }
      const svc = buf[p + hdr - 1];
      msg.service = confirmedName(svc);
      // Only the first segment holds the start of the service data.
      if (!seg || buf[p + 2] === 0) complexAck(buf, p + hdr, end, svc, msg);
      return;
    }
    case PDU_SEGMENT_ACK:
      if (end - p >= 2) msg.invoke_id = buf[p + 1];
      return;
    case PDU_ERROR:
      if (end - p < 3) return;
      msg.invoke_id = buf[p + 1];
      msg.service = confirmedName(buf[p + 2]);
      errorBody(buf, p + 3, end, msg);
      return;
    case PDU_REJECT:
      if (end - p < 3) return;
      msg.invoke_id = buf[p + 1];
      msg.service = 'reject';
      msg.result_code = REJECT_REASONS[buf[p + 2]] ?? `reject-reason-${buf[p + 2]}`;
      return;
    case PDU_ABORT:
      if (end - p < 3) return;
      msg.invoke_id = buf[p + 1];
      msg.service = 'abort';
      msg.result_code = ABORT_REASONS[buf[p + 2]] ?? `abort-reason-${buf[p + 2]}`;
      return;
    default:
      return;
  }
}

function confirmedName(svc: number): string {
  return CONFIRMED_SERVICES[svc] ?? `confirmed_service_${svc}`;
}

/** Error PDU: error class and code, both application-tagged enumerations, possibly wrapped. */
function errorBody(buf: Uint8Array, p: number, end: number, msg: BacnetMessage): void {
  const t = new Tag();
  const vals: number[] = [];
  for (let i = 0; i < 8 && vals.length < 2 && readTag(buf, p, end, t); i++) {
    if (!t.context && t.num === TAG_ENUMERATED) vals.push(readUnsigned(buf, t.valueOff, t.len));
    p = t.next;
  }
  if (vals.length === 2) msg.result_code = ERROR_CODES[vals[1]] ?? `error-code-${vals[1]}`;
}

function unconfirmedRequest(buf: Uint8Array, p: number, end: number, svc: number, msg: BacnetMessage): void {
  const t = new Tag();
  if (svc === SVC_I_AM) {
    // I-Am-Request ::= objectId, maxAPDULengthAccepted, segmentationSupported, vendorID
    if (!readTag(buf, p, end, t) || !isApp(t, TAG_OBJECT_ID) || t.len !== 4) return;
    msg.device_instance = readObjectId(buf, t.valueOff).instance;
    if (!readTag(buf, t.next, end, t) || !isApp(t, TAG_UNSIGNED)) return;
    msg.max_apdu = readUnsigned(buf, t.valueOff, t.len);
    if (!readTag(buf, t.next, end, t) || !isApp(t, TAG_ENUMERATED)) return;
    const s = readUnsigned(buf, t.valueOff, t.len);
    msg.segmentation = SEGMENTATION[s] ?? `segmentation-${s}`;
    if (!readTag(buf, t.next, end, t) || !isApp(t, TAG_UNSIGNED)) return;
    msg.vendor_id = readUnsigned(buf, t.valueOff, t.len);
  } else if (svc === SVC_WHO_IS) {
    // Who-Is-Request ::= [0] low limit, [1] high limit, both optional
    while (readTag(buf, p, end, t) && t.context) {
      if (t.num === 0) msg.low_limit = readUnsigned(buf, t.valueOff, t.len);
      else if (t.num === 1) msg.high_limit = readUnsigned(buf, t.valueOff, t.len);
      p = t.next;
    }
  } else if (svc === SVC_I_HAVE) {
    // I-Have-Request ::= deviceIdentifier, objectIdentifier, objectName
    if (!readTag(buf, p, end, t) || !isApp(t, TAG_OBJECT_ID) || t.len !== 4) return;
    msg.device_instance = readObjectId(buf, t.valueOff).instance;
    if (!readTag(buf, t.next, end, t) || !isApp(t, TAG_OBJECT_ID) || t.len !== 4) return;
    const o = readObjectId(buf, t.valueOff);
    msg.object_type = objectTypeName(o.type);
    msg.instance_number = o.instance;
    if (!readTag(buf, t.next, end, t) || !isApp(t, TAG_CHARACTER_STRING)) return;
    msg.object_name = readCharacterString(buf, t.valueOff, t.len);
  }
}

function confirmedRequest(buf: Uint8Array, p: number, end: number, svc: number, msg: BacnetMessage): void {
  if (svc === SVC_READ_PROPERTY) readPropertyHead(buf, p, end, msg);
  else if (svc === SVC_READ_PROPERTY_MULTIPLE) readAccessSpecs(buf, p, end, msg, false);
  else if (svc === SVC_DEVICE_COMMUNICATION_CONTROL) password(buf, p, end, 2, msg);
  else if (svc === SVC_REINITIALIZE_DEVICE) password(buf, p, end, 1, msg);
}

function complexAck(buf: Uint8Array, p: number, end: number, svc: number, msg: BacnetMessage): void {
  if (svc === SVC_READ_PROPERTY) {
    const h = readPropertyHead(buf, p, end, msg);
    if (h === null) return;
    const t = new Tag();
    // [3] opening, the value, [3] closing
    if (!readTag(buf, h.next, end, t) || !t.opening || t.num !== 3) return;
    identityValue(buf, t.next, end, h.prop, h.objType === OBJECT_DEVICE, msg);
  } else if (svc === SVC_READ_PROPERTY_MULTIPLE) readAccessSpecs(buf, p, end, msg, true);
}

/** The optional password of DeviceCommunicationControl ([2]) or ReinitializeDevice ([1]). */
function password(buf: Uint8Array, p: number, end: number, tagNum: number, msg: BacnetMessage): void {
  const t = new Tag();
  for (let i = 0; i < 4 && readTag(buf, p, end, t); i++) {
    if (isCtx(t, tagNum)) {
      msg.password = readCharacterString(buf, t.valueOff, t.len);
      return;
    }
    p = t.next;
  }
}

/** ReadProperty ::= [0] objectIdentifier, [1] propertyIdentifier, [2] arrayIndex OPTIONAL. */
function readPropertyHead(buf: Uint8Array, p: number, end: number, msg: BacnetMessage): { next: number; prop: number; objType: number } | null {
  const t = new Tag();
  if (!readTag(buf, p, end, t) || !isCtx(t, 0) || t.len !== 4) return null;
  const o = readObjectId(buf, t.valueOff);
  msg.object_type = objectTypeName(o.type);
  msg.instance_number = o.instance;
  if (o.type === OBJECT_DEVICE) msg.device_instance = o.instance;
  if (!readTag(buf, t.next, end, t) || !isCtx(t, 1)) return null;
  const prop = readUnsigned(buf, t.valueOff, t.len);
  msg.property = propertyName(prop);
  let q = t.next;
  if (readTag(buf, q, end, t) && t.context && t.num === 2 && !t.opening) q = t.next;
  return { next: q, prop, objType: o.type };
}

/** The value of an identity property (the first application-tagged datum) onto `msg`. */
function identityValue(buf: Uint8Array, p: number, end: number, prop: number, isDevice: boolean, msg: BacnetMessage): void {
  const t = new Tag();
  if (!readTag(buf, p, end, t) || t.context) return;
  if (prop === PROP_VENDOR_IDENTIFIER && t.num === TAG_UNSIGNED) {
    if (isDevice) msg.vendor_id = readUnsigned(buf, t.valueOff, t.len);
    return;
  }
  if (t.num !== TAG_CHARACTER_STRING) return;
  const s = readCharacterString(buf, t.valueOff, t.len);
  switch (prop) {
    case PROP_OBJECT_NAME:
      msg.object_name = s;
      return;
    case PROP_DESCRIPTION:
      msg.description = s;
      return;
    case PROP_LOCATION:
      if (isDevice) msg.location = s;
      return;
    case PROP_VENDOR_NAME:
      if (isDevice) msg.vendor_name = s;
      return;
    case PROP_MODEL_NAME:
      if (isDevice) msg.model_name = s;
      return;
    case PROP_FIRMWARE_REVISION:
      if (isDevice) msg.firmware = s;
      return;
    case PROP_APPLICATION_SOFTWARE_VERSION:
      if (isDevice) msg.application_software_version = s;
      return;
    default:
      return;
  }
}

/**
 * ReadPropertyMultiple request (ReadAccessSpecification list) or acknowledgement
 * (ReadAccessResult list): [0] objectIdentifier, [1] opening, per property [0]/[2] id,
 * [1]/[3] index, and in a result [4] value or [5] error, then [1] closing.
 */
function readAccessSpecs(buf: Uint8Array, p: number, end: number, msg: BacnetMessage, isAck: boolean): void {
  const t = new Tag();
  const props: string[] = [];
  const propTag = isAck ? 2 : 0;
  let objType = -1;
  let prop = -1;
  let depth = 0;
  for (let i = 0; i < MAX_TAGS && readTag(buf, p, end, t); i++) {
    if (depth === 0) {
      if (t.context && t.num === 0 && t.len === 4) {
        const o = readObjectId(buf, t.valueOff);
        objType = o.type;
        if (msg.object_type === undefined) {
          msg.object_type = objectTypeName(o.type);
          msg.instance_number = o.instance;
        }
        if (o.type === OBJECT_DEVICE && msg.device_instance === undefined) msg.device_instance = o.instance;
      } else if (t.opening && t.num === 1) depth = 1;
      p = t.next;
      continue;
    }
    if (t.closing && t.num === 1) depth = 0;
    else if (t.context && !t.opening && !t.closing && t.num === propTag) {
      prop = readUnsigned(buf, t.valueOff, t.len);
      const name = propertyName(prop);
      if (props.length < MAX_PROPERTIES && !props.includes(name)) props.push(name);
    } else if (t.opening) {
      // [4] value or [5] error (or a nested list): skip to its matching closing tag.
      if (t.num === 4) identityValue(buf, t.next, end, prop, objType === OBJECT_DEVICE, msg);
      const q = skipConstructed(buf, t.next, end, t);
      if (q < 0) break;
      p = q;
      continue;
    }
    p = t.next;
  }
  if (props.length > 0) msg.properties = props;
}

/** Offset after the closing tag matching an opening tag whose contents start at `p`, or -1. */
function skipConstructed(buf: Uint8Array, p: number, end: number, t: Tag): number {
  let level = 1;
  for (let i = 0; i < MAX_TAGS && readTag(buf, p, end, t); i++) {
    if (t.opening) level++;
    else if (t.closing && --level === 0) return t.next;
    p = t.next;
  }
  return -1;
}

/** Application-tagged datum of the given type (a function, so type narrowing does not stick). */
function isApp(t: Tag, num: number): boolean {
  return !t.context && t.num === num;
}

/** Context-tagged primitive datum with the given tag number. */
function isCtx(t: Tag, num: number): boolean {
  return t.context && !t.opening && !t.closing && t.num === num;
}
