// Cheap recognition of iSCSI. Off its ports only a login is taken: a Login Request whose text
// starts with a key (CERTAIN when it names the initiator, as every first login does), or a Login
// Response with keys. On 3260 and 860 any well-formed BHS of the side's role is a "maybe",
// enough there: iSCSI sessions last for days, so a capture usually starts in the middle of one.
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { BHS_LEN, OP_LOGIN_REQUEST, OP_LOGIN_RESPONSE, dataLengthOf, opcodeOf, validBhs } from './parse.js';

export const ISCSI_PORTS: readonly number[] = [3260, 860];

const INITIATOR_NAME = [...'InitiatorName='].map((c) => c.charCodeAt(0));

/** Bytes at `p` are a text key (letters, digits, '_', '.', '-') followed by '='. */
function keyAt(b: Uint8Array, p: number, end: number): boolean {
  let i = p;
  while (i < end && i - p < 64) {
    const c = b[i];
    if (c === 0x3d) return i > p;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d)) return false;
    i++;
  }
  return false;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port: number): number {
  if (proto !== 6 || len < BHS_LEN || !validBhs(buf, off, isOrig)) return PROBE_NO;
  const op = opcodeOf(buf, off);
  if (op === OP_LOGIN_REQUEST || op === OP_LOGIN_RESPONSE) {
    const d = off + BHS_LEN + buf[off + 4] * 4;
    const end = off + len;
    if (dataLengthOf(buf, off) === 0 || d >= end) return op === OP_LOGIN_RESPONSE && ISCSI_PORTS.includes(port) ? PROBE_MAYBE : PROBE_NO;
    if (!keyAt(buf, d, end)) return PROBE_NO;
    if (op === OP_LOGIN_REQUEST && end - d >= INITIATOR_NAME.length && INITIATOR_NAME.every((c, i) => buf[d + i] === c)) return PROBE_CERTAIN;
    return PROBE_YES;
  }
  return ISCSI_PORTS.includes(port) ? PROBE_MAYBE : PROBE_NO;
}
