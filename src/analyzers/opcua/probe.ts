// Cheap recognition of OPC UA TCP on any port (OPC 10000-6 §7.1.2): the client's first bytes are
// a Hello ("HEL", chunk "F", a size covering five UInt32 and the EndpointUrl, protocol version 0);
// with reverse connect (§7.1.2.6) the server opens the connection with a ReverseHello ("RHE").
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { HEADER_LEN } from './parse.js';

const HELF = [0x48, 0x45, 0x4c, 0x46];
const RHEF = [0x52, 0x48, 0x45, 0x46];
/** Hello's fixed fields plus the EndpointUrl's length (§7.1.2.3). */
const HELLO_MIN = HEADER_LEN + 20 + 4;
/** §7.1.2.3: the EndpointUrl is at most 4096 bytes. */
const MAX_URL = 4096;
/** ReverseHello: two strings (ServerUri, EndpointUrl), each at most 4096 bytes (§7.1.2.6). */
const RHE_MAX = HEADER_LEN + 2 * (4 + MAX_URL);

function u32(buf: Uint8Array, o: number): number {
  return (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16) | (buf[o + 3] << 24)) >>> 0;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig || len < 1) return PROBE_NO;
  const magic = buf[off] === 0x52 ? RHEF : HELF;
  const n = Math.min(len, magic.length);
  for (let i = 0; i < n; i++) if (buf[off + i] !== magic[i]) return PROBE_NO;
  if (len < HEADER_LEN + 4) return PROBE_MAYBE;
  const size = u32(buf, off + 4);
  if (magic === RHEF) return size >= HEADER_LEN + 8 && size <= RHE_MAX ? PROBE_YES : PROBE_NO;
  if (size < HELLO_MIN || size > HELLO_MIN + MAX_URL) return PROBE_NO;
  // The protocol version is 0 in every published edition of Part 6.
  if (u32(buf, off + HEADER_LEN) !== 0) return PROBE_NO;
  if (len < HELLO_MIN) return PROBE_YES;
  const urlLen = u32(buf, off + HELLO_MIN - 4) | 0;
  // The URL's length accounts exactly for the rest of the message: structure, not coincidence.
  const consistent = urlLen === -1 ? size === HELLO_MIN : urlLen >= 0 && size === HELLO_MIN + urlLen;
  return consistent ? PROBE_CERTAIN : PROBE_NO;
}
