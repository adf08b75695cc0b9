// iSCSI (RFC 7143): SCSI over TCP (3260, and 860 registered for it). Every PDU starts with a
// 48-byte Basic Header Segment (BHS): opcode (byte 0, low 6 bits; 0x40 the immediate flag),
// flags (byte 1), TotalAHSLength in 4-byte words (byte 4), DataSegmentLength (bytes 5-7), LUN
// or ISID/TSIH (8-15), Initiator Task Tag (16-19), then opcode-specific fields (a SCSI
// command's CDB at 32-47; a Login Response's status class and detail at 36-37). After the BHS
// come the additional header segments, a CRC32C header digest when one was negotiated, the data
// segment padded to 4 bytes, and its data digest. Login and Text PDUs carry "key=value" pairs
// separated by NUL (InitiatorName, TargetName, SessionType, AuthMethod, CHAP_N …). Parsers here
// read fields at offsets; nothing is copied but the text values that are logged.

import { u32 } from '../dns/text.js';
import { latin1, wireText } from '../textproto.js';

export const BHS_LEN = 48;
/** A data segment is at most 2^24 - 1 bytes (MaxRecvDataSegmentLength's range). */
export const MAX_DATA_SEGMENT = 0xffffff;

// Initiator opcodes.
export const OP_NOP_OUT = 0x00;
export const OP_SCSI_COMMAND = 0x01;
export const OP_TASK_REQUEST = 0x02;
export const OP_LOGIN_REQUEST = 0x03;
export const OP_TEXT_REQUEST = 0x04;
export const OP_DATA_OUT = 0x05;
export const OP_LOGOUT_REQUEST = 0x06;
export const OP_SNACK = 0x10;
// Target opcodes.
export const OP_NOP_IN = 0x20;
export const OP_SCSI_RESPONSE = 0x21;
export const OP_TASK_RESPONSE = 0x22;
export const OP_LOGIN_RESPONSE = 0x23;
export const OP_TEXT_RESPONSE = 0x24;
export const OP_DATA_IN = 0x25;
export const OP_LOGOUT_RESPONSE = 0x26;
export const OP_R2T = 0x31;
export const OP_ASYNC = 0x32;
export const OP_REJECT = 0x3f;

const INITIATOR_OPS = new Set([OP_NOP_OUT, OP_SCSI_COMMAND, OP_TASK_REQUEST, OP_LOGIN_REQUEST, OP_TEXT_REQUEST, OP_DATA_OUT, OP_LOGOUT_REQUEST, OP_SNACK]);
const TARGET_OPS = new Set([OP_NOP_IN, OP_SCSI_RESPONSE, OP_TASK_RESPONSE, OP_LOGIN_RESPONSE, OP_TEXT_RESPONSE, OP_DATA_IN, OP_LOGOUT_RESPONSE, OP_R2T, OP_ASYNC, OP_REJECT]);

/** Every first byte a BHS can start with: an initiator opcode (with or without the immediate flag) or a target's. */
export const FIRST_BYTES: readonly number[] = [...[...INITIATOR_OPS].flatMap((o) => [o, o | 0x40]), ...TARGET_OPS].sort((a, b) => a - b);

// SCSI operation codes (SPC-4, SBC-3) the analyzer follows.
export const SCSI_INQUIRY = 0x12;
export const SCSI_READ_CAPACITY_10 = 0x25;
export const SCSI_SERVICE_ACTION_IN_16 = 0x9e;
export const SA_READ_CAPACITY_16 = 0x10;
export const SCSI_REPORT_LUNS = 0xa0;
const READS = new Set([0x08, 0x28, 0xa8, 0x88]);
const WRITES = new Set([0x0a, 0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e, 0x93]);

export function isRead(op: number): boolean {
  return READS.has(op);
}

export function isWrite(op: number): boolean {
  return WRITES.has(op);
}

/** The opcode of a BHS (immediate flag cleared). */
export function opcodeOf(b: Uint8Array, off: number): number {
  return b[off] & 0x3f;
}

export function dataLengthOf(b: Uint8Array, off: number): number {
  return (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7];
}

/**
 * Whether 48 bytes at `off` are a BHS the side could send: an opcode of its role, the immediate
 * flag only on an initiator's PDU and bit 7 clear, a data segment within the protocol's range.
 * A Login's version bytes must be 0 (RFC 7143's only version).
 */
export function validBhs(b: Uint8Array, off: number, isInitiator: boolean): boolean {
  const b0 = b[off];
  if ((b0 & 0x80) !== 0) return false;
  const op = b0 & 0x3f;
  if (isInitiator ? !INITIATOR_OPS.has(op) : !TARGET_OPS.has(op) || (b0 & 0x40) !== 0) return false;
  if (op === OP_LOGIN_REQUEST && (b[off + 2] !== 0 || b[off + 3] !== 0 || (b0 & 0x40) === 0)) return false;
  if (op === OP_LOGIN_RESPONSE && (b[off + 2] !== 0 || b[off + 3] !== 0)) return false;
  return true;
}

/** The LUN of a BHS's bytes 8-15 (peripheral and flat space addressing, SAM-5 4.7). */
export function lunOf(b: Uint8Array, off: number): number {
  return ((b[off + 8] & 0x3f) << 8) | b[off + 9];
}

/** Text keys kept per PDU, and their values' length. */
export const MAX_KEYS = 128;
export const MAX_VALUE = 256;

/**
 * The key=value pairs of a Login or Text data segment (NUL-separated, RFC 7143 6.1), in order;
 * a key repeats in SendTargets answers (one TargetName per target). Bounded.
 */
export function parseKeys(b: Uint8Array, off: number, len: number): [string, string][] {
  const out: [string, string][] = [];
  let i = off;
  const end = off + len;
  while (i < end && out.length < MAX_KEYS) {
    let j = i;
    while (j < end && b[j] !== 0) j++;
    if (j > i) {
      let eq = i;
      while (eq < j && b[eq] !== 0x3d) eq++;
      // Keys are ASCII, values UTF-8 (RFC 7143 6.1).
      if (eq < j && eq > i && eq - i <= 63) out.push([latin1(b, i, eq), wireText(latin1(b, eq + 1, Math.min(j, eq + 1 + MAX_VALUE)))]);
    }
    i = j + 1;
  }
  return out;
}


const LOGIN_STATUS: Record<number, string> = {
  0x0000: 'success',
  0x0101: 'target moved temporarily',
  0x0102: 'target moved permanently',
  0x0200: 'initiator error',
  0x0201: 'authentication failure',
  0x0202: 'authorization failure',
  0x0203: 'not found',
  0x0204: 'target removed',
  0x0205: 'unsupported version',
  0x0206: 'too many connections',
  0x0207: 'missing parameter',
  0x0208: 'cannot include in session',
  0x0209: 'session type not supported',
  0x020a: 'session does not exist',
  0x020b: 'invalid request during login',
  0x0300: 'target error',
  0x0301: 'service unavailable',
  0x0302: 'out of resources',
};

/** A Login Response's status (class, detail) in RFC 7143 11.13.5's words. */
export function loginStatus(cls: number, detail: number): string {
  return LOGIN_STATUS[(cls << 8) | detail] ?? `status 0x${((cls << 8) | detail).toString(16).padStart(4, '0')}`;
}

const DEVICE_TYPES: Record<number, string> = {
  0x00: 'disk',
  0x01: 'tape',
  0x03: 'processor',
  0x05: 'cd/dvd',
  0x07: 'optical',
  0x08: 'medium changer',
  0x0c: 'storage array controller',
  0x0d: 'enclosure services',
  0x0e: 'simplified disk',
};

export function deviceTypeName(t: number): string {
  return DEVICE_TYPES[t] ?? `type 0x${t.toString(16).padStart(2, '0')}`;
}

/** A standard INQUIRY answer (SPC-4 6.6.2): peripheral device type, T10 vendor, product, revision. */
export interface Inquiry {
  deviceType: string;
  vendor: string;
  product: string;
  revision: string;
}

export function parseInquiry(b: Uint8Array, off: number, len: number): Inquiry | null {
  if (len < 36 || (b[off] & 0xe0) === 0x60) return null;
  const text = (from: number, n: number) => latin1(b, off + from, off + from + n).trim();
  return { deviceType: deviceTypeName(b[off] & 0x1f), vendor: text(8, 8), product: text(16, 16), revision: text(32, 4) };
}

/** The Unit Serial Number VPD page (0x80): the serial, trimmed. */
export function parseSerialPage(b: Uint8Array, off: number, len: number): string | null {
  if (len < 4 || b[off + 1] !== 0x80) return null;
  const n = Math.min((b[off + 2] << 8) | b[off + 3], len - 4, 252);
  return latin1(b, off + 4, off + 4 + n).trim();
}

/** READ CAPACITY (10) or (16) data: the capacity in bytes (last LBA + 1 times the block length). */
export function parseCapacity(b: Uint8Array, off: number, len: number, sixteen: boolean): number | null {
  if (sixteen) {
    if (len < 12) return null;
    const last = u32(b, off) * 2 ** 32 + u32(b, off + 4);
    return (last + 1) * u32(b, off + 8);
  }
  if (len < 8) return null;
  const last = u32(b, off);
  // 0xffffffff: the capacity needs READ CAPACITY (16).
  return last === 0xffffffff ? null : (last + 1) * u32(b, off + 4);
}
