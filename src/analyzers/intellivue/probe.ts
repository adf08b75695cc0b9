// Cheap recognition of IntelliVue Data Export on any UDP port: a whole Connect Indication
// (nomenclature, remote operation and event type 0x0D17 with lengths that fit), a data export
// message (SPpdu session id 0xE100 and a remote operation PDU that fits), or on the export
// port an association control header whose length fills the datagram.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { parseConnectIndication, parseDataExport, parseSessionHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== 17 || len === 0) return PROBE_NO;
  if (parseConnectIndication(buf, off, len) !== null) return PROBE_YES;
  if (parseDataExport(buf, off, len) !== null) return PROBE_YES;
  // A two-byte session header is too little to claim a port of its own.
  return parseSessionHeader(buf, off, len) !== null ? PROBE_MAYBE : PROBE_NO;
}
