// Cheap recognition of LDAP on any port: an LDAPMessage SEQUENCE whose first element is the
// INTEGER message id and whose second is an APPLICATION-class protocolOp (RFC 4511 §4.2.1).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { readInt, readTlv, CLASS_APPLICATION, TAG_INTEGER } from '../ntlm/ber.js';

const LDAP_MESSAGE_TAG = 0x30;
/** Highest protocolOp tag defined (intermediateResponse). */
const MAX_OP_TAG = 25;

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 7 || buf[off] !== LDAP_MESSAGE_TAG) return PROBE_NO;
  const end = off + len;
  // The whole message need not be in the first segment: bound the header reads by `end`.
  const lenOctets = buf[off + 1] & 0x80 ? buf[off + 1] & 0x7f : 0;
  if (lenOctets > 4) return PROBE_NO;
  const idAt = off + 2 + lenOctets;
  const id = readTlv(buf, idAt, end);
  if (id === null || id.tag !== TAG_INTEGER || id.cls !== 0 || id.len > 4 || readInt(buf, id) === null || readInt(buf, id)! < 0) return PROBE_NO;
  if (id.end + 2 > end) return PROBE_MAYBE;
  const opId = buf[id.end];
  const cls = opId >>> 6;
  const tag = opId & 0x1f;
  if (cls !== CLASS_APPLICATION || tag > MAX_OP_TAG) return PROBE_NO;
  // Clients send requests (even tags up to 16, or 23); servers responses.
  const request = tag === 0 || tag === 2 || tag === 3 || tag === 6 || tag === 8 || tag === 10 || tag === 12 || tag === 14 || tag === 16 || tag === 23;
  return request === isOrig ? PROBE_YES : PROBE_MAYBE;
}
