// Cheap recognition of Modbus/TCP on any port: an MBAP header whose protocol id is 0, whose
// length field covers exactly the bytes that arrived, and a known function code.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { EXCEPTION_BIT, FUNCTION_NAMES, MAX_MBAP_LENGTH } from './parse.js';

const MIN_ADU = 8;

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < MIN_ADU) return PROBE_NO;
  if (buf[off + 2] !== 0 || buf[off + 3] !== 0) return PROBE_NO;
  const n = (buf[off + 4] << 8) | buf[off + 5];
  if (n < 2 || n > MAX_MBAP_LENGTH) return PROBE_NO;
  // A scanner probing unassigned function codes is still Modbus on port 502 (MAYBE starts the
  // analyzer there); off-port only a known function in an exactly sized ADU is convincing.
  const known = FUNCTION_NAMES[buf[off + 7] & ~EXCEPTION_BIT] !== undefined;
  return known && 6 + n === len ? PROBE_YES : PROBE_MAYBE;
}
