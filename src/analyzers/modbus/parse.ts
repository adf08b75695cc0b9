// Modbus/TCP parser (Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3 MBAP header;
// Modbus Application Protocol V1.1b3 §6 function codes, §7 exceptions, §6.21 Read Device
// Identification, MEI type 0x0E). Pure: bytes in, fields or a status out.
import { escapeBytes } from '../l2text.js';
import { FRAME_BAD, FRAME_NEED_MORE } from '../framing.js';

export const MBAP_LEN = 7;
/** MBAP length counts the unit id and the PDU; a PDU is at most 253 bytes (§4.1). */
export const MAX_MBAP_LENGTH = 254;
export const MODBUS_PROTOCOL_ID = 0;
export const EXCEPTION_BIT = 0x80;
export const FC_ENCAP_INTERFACE_TRANSPORT = 0x2b;
export const MEI_READ_DEVICE_ID = 0x0e;
/** Objects a device may return; more are never kept. */
const MAX_DEVICE_OBJECTS = 32;
const READ_DEVICE_ID_REQUEST_LEN = 3;

/** Zeek's names (base/protocols/modbus/consts.zeek), so modbus.log reads the same. */
export const FUNCTION_NAMES: Record<number, string> = {
  0x01: 'READ_COILS',
  0x02: 'READ_DISCRETE_INPUTS',
  0x03: 'READ_HOLDING_REGISTERS',
  0x04: 'READ_INPUT_REGISTERS',
  0x05: 'WRITE_SINGLE_COIL',
  0x06: 'WRITE_SINGLE_REGISTER',
  0x07: 'READ_EXCEPTION_STATUS',
  0x08: 'DIAGNOSTICS',
  0x09: 'PROGRAM_484',
  0x0a: 'POLL_484',
  0x0b: 'GET_COMM_EVENT_COUNTER',
  0x0c: 'GET_COMM_EVENT_LOG',
  0x0d: 'PROGRAM_584_984',
  0x0e: 'POLL_584_984',
  0x0f: 'WRITE_MULTIPLE_COILS',
  0x10: 'WRITE_MULTIPLE_REGISTERS',
  0x11: 'REPORT_SLAVE_ID',
  0x12: 'PROGRAM_884_U84',
  0x13: 'RESET_COMM_LINK_884_U84',
  0x14: 'READ_FILE_RECORD',
  0x15: 'WRITE_FILE_RECORD',
  0x16: 'MASK_WRITE_REGISTER',
  0x17: 'READ_WRITE_MULTIPLE_REGISTERS',
  0x18: 'READ_FIFO_QUEUE',
  0x28: 'PROGRAM_CONCEPT',
  0x29: 'MULTIPLE_FUNCTION_CODES',
  0x2b: 'ENCAP_INTERFACE_TRANSPORT',
  0x5a: 'PROGRAM_UNITY',
  0x5b: 'OBJECT_MESSAGING',
  0x7d: 'FIRMWARE_REPLACEMENT',
  0x7e: 'PROGRAM_584_984_2',
  0x7f: 'REPORT_LOCAL_ADDRESS',
};

export const EXCEPTION_NAMES: Record<number, string> = {
  0x01: 'ILLEGAL_FUNCTION',
  0x02: 'ILLEGAL_DATA_ADDRESS',
  0x03: 'ILLEGAL_DATA_VALUE',
  0x04: 'SLAVE_DEVICE_FAILURE',
  0x05: 'ACKNOWLEDGE',
  0x06: 'SLAVE_DEVICE_BUSY',
  0x08: 'MEMORY_PARITY_ERROR',
  0x0a: 'GATEWAY_PATH_UNAVAILABLE',
  0x0b: 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
};

/** Read Device Identification object ids (§6.21 Table "Basic/Regular category objects"). */
export const DEVICE_OBJECT_KEYS: Record<number, string> = {
  0x00: 'vendor_name',
  0x01: 'product_code',
  0x02: 'revision',
  0x03: 'vendor_url',
  0x04: 'product_name',
  0x05: 'model_name',
  0x06: 'user_application_name',
};

/** Zeek's function naming: known name, "<name>_EXCEPTION" for an exception, else unknown-N. */
export function functionName(fc: number): string {
  const known = FUNCTION_NAMES[fc];
  if (known !== undefined) return known;
  const base = FUNCTION_NAMES[fc & ~EXCEPTION_BIT];
  if (base === undefined) return `unknown-${fc}`;
  return fc & EXCEPTION_BIT ? `${base}_EXCEPTION` : base;
}

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `unknown-${code}`;
}

/** Total length of the Modbus/TCP ADU at `off`, or a framing status. */
export function mbapFrameLength(buf: Uint8Array, off: number, len: number): number {
  if (len < 6) return FRAME_NEED_MORE;
  const pid = (buf[off + 2] << 8) | buf[off + 3];
  const n = (buf[off + 4] << 8) | buf[off + 5];
  if (pid !== MODBUS_PROTOCOL_ID || n < 2 || n > MAX_MBAP_LENGTH) return FRAME_BAD;
  return 6 + n;
}

export interface DeviceIdentification {
  /** 1 basic, 2 regular, 3 extended, 4 one object. */
  readCode: number;
  conformity: number;
  moreFollows: boolean;
  objects: Record<string, string>;
}

export interface ModbusPdu {
  tid: number;
  unit: number;
  /** The function code as sent (exception responses have bit 7 set). */
  fc: number;
  exception?: number;
  /** MEI type of an Encapsulated Interface Transport PDU. */
  mei?: number;
  /** Read Device Identification response objects. */
  deviceId?: DeviceIdentification;
}

/** Parses one whole ADU (header + PDU) of `len` bytes. */
export function parseAdu(buf: Uint8Array, off: number, len: number): ModbusPdu | 'bad' {
  if (len < MBAP_LEN + 1) return 'bad';
  const n = (buf[off + 4] << 8) | buf[off + 5];
  if (6 + n !== len) return 'bad';
  const out: ModbusPdu = {
    tid: (buf[off] << 8) | buf[off + 1],
    unit: buf[off + 6],
    fc: buf[off + 7],
  };
  const p = off + 8;
  const end = off + len;
  if (out.fc & EXCEPTION_BIT) {
    if (p < end) out.exception = buf[p];
    return out;
  }
  if (out.fc === FC_ENCAP_INTERFACE_TRANSPORT && p < end) {
    out.mei = buf[p];
    // A request is 3 bytes after the MEI type; only a response carries objects.
    if (out.mei === MEI_READ_DEVICE_ID && end - p > READ_DEVICE_ID_REQUEST_LEN) {
      const d = parseDeviceId(buf, p + 1, end);
      if (d !== null) out.deviceId = d;
    }
  }
  return out;
}

/** The Read Device Identification response body after the MEI type byte (§6.21). */
function parseDeviceId(buf: Uint8Array, p: number, end: number): DeviceIdentification | null {
  if (end - p < 5) return null;
  const d: DeviceIdentification = {
    readCode: buf[p],
    conformity: buf[p + 1],
    moreFollows: buf[p + 2] === 0xff,
    objects: {},
  };
  const count = Math.min(buf[p + 4], MAX_DEVICE_OBJECTS);
  p += 5;
  for (let i = 0; i < count; i++) {
    if (end - p < 2) break;
    const id = buf[p];
    const l = buf[p + 1];
    p += 2;
    if (end - p < l) break;
    const key = DEVICE_OBJECT_KEYS[id] ?? `object_${id}`;
    // Object values are visible strings (§6.21); anything else is escaped as \xNN.
    d.objects[key] = escapeBytes(buf, p, p + l).trim();
    p += l;
  }
  return d;
}

