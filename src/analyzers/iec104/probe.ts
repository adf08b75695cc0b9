// Cheap recognition of IEC 60870-5-104 on any port: an APDU start octet, a length the control
// field can carry, a valid I/S/U control field and, for an I-format APDU, a known type
// identification and cause of transmission. A STARTDT act/con U-frame (68 04 07 00 00 00,
// 68 04 0B 00 00 00), how every 104 connection opens, is certain.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { APCI_LEN, ASDU_HEADER_LEN, START, TYPE_NAMES, apduLength, cotName, validControl } from './parse.js';

const STARTDT_ACT = 0x07;
const STARTDT_CON = 0x0b;
const COT_CAUSE = 0x3f;

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 1 || buf[off] !== START) return PROBE_NO;
  const total = apduLength(buf, off, len);
  if (total < 0) return PROBE_NO;
  if (len < APCI_LEN) return PROBE_MAYBE;
  const l = total - 2;
  if (!validControl(buf, off + 2, l)) return PROBE_NO;
  // Whole APDUs back to back, as a sender writes them: exactly one, or another start follows.
  const whole = len === total || (len > total && buf[off + total] === START);
  if (!whole) return PROBE_MAYBE;
  const c0 = buf[off + 2];
  if (c0 === STARTDT_ACT || c0 === STARTDT_CON) return PROBE_CERTAIN;
  if ((c0 & 1) !== 0) return PROBE_YES;
  const a = off + APCI_LEN;
  if (len - APCI_LEN < ASDU_HEADER_LEN) return PROBE_MAYBE;
  const cause = buf[a + 2] & COT_CAUSE;
  const known = TYPE_NAMES[buf[a]] !== undefined && !cotName(cause).startsWith('unknown-');
  return known ? PROBE_YES : PROBE_MAYBE;
}
