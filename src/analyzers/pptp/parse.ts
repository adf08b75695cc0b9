// PPTP's control connection (RFC 2637 §2): each message is a 16-bit length, message type 1
// (control), the magic cookie 0x1A2B3C4D, a control message type and the type's fixed fields.
// Start-Control-Connection request and reply carry each side's protocol version, host name and
// vendor string (64 bytes each, NUL-padded) in clear; Outgoing-Call request and reply set up a
// call, whose PPP session then travels in enhanced GRE. Pure functions.
import { logString, u16, u32 } from '../dns/text.js';

export const MAGIC_COOKIE = 0x1a2b3c4d;
export const HEADER_LEN = 12;
export const SCCRQ = 1;
export const SCCRP = 2;
export const OCRQ = 7;
export const OCRP = 8;
/** The longest control message (Outgoing-Call-Request, 168 bytes) with room to spare. */
export const MAX_MESSAGE = 1024;

export const CONTROL_RESULTS: Record<number, string> = { 1: 'Successful channel establishment', 2: 'General error', 3: 'Command channel already exists', 4: 'Requester is not authorized', 5: 'Protocol version not supported' };
export const CALL_RESULTS: Record<number, string> = { 1: 'Connected', 2: 'General error', 3: 'No carrier', 4: 'Busy', 5: 'No dial tone', 6: 'Time-out', 7: 'Do not accept' };

export interface ControlMessage {
  type: number;
  /** SCCRQ/SCCRP: "1.0". */
  version?: string;
  hostname?: string;
  vendor?: string;
  /** SCCRP, OCRP: the result code. */
  result?: number;
}

/** Whether a control message header starts at off (length within bounds, type 1, the cookie). */
export function headerFits(buf: Uint8Array, off: number, len: number): boolean {
  if (len < HEADER_LEN) return false;
  const l = u16(buf, off);
  return l >= HEADER_LEN && l <= MAX_MESSAGE && u16(buf, off + 2) === 1 && u32(buf, off + 4) === MAGIC_COOKIE;
}

/** A NUL-padded fixed-size text field. */
function fixedString(b: Uint8Array, p: number, n: number): string {
  let e = p;
  while (e < p + n && b[e] !== 0) e++;
  return logString(b, p, e - p);
}

/** Parses one whole control message (len = its length field); null if it is not one. */
export function parseMessage(buf: Uint8Array, off: number, len: number): ControlMessage | null {
  if (!headerFits(buf, off, len) || u16(buf, off) !== len) return null;
  const type = u16(buf, off + 8);
  const m: ControlMessage = { type };
  if ((type === SCCRQ || type === SCCRP) && len >= 156) {
    m.version = `${buf[off + 12]}.${buf[off + 13]}`;
    if (type === SCCRP) m.result = buf[off + 14];
    m.hostname = fixedString(buf, off + 28, 64);
    m.vendor = fixedString(buf, off + 92, 64);
  } else if (type === OCRP && len >= 32) m.result = buf[off + 16];
  return m;
}
