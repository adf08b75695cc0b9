// Cheap recognition of AJP13: a whole packet header with a message type its direction sends —
// 0x12 0x34, a length, then Forward Request, Shutdown, Ping or CPing from the web server (the
// originator); 'A' 'B', a length, then Send Body Chunk, Send Headers, End Response, Get Body Chunk
// or CPong from the container. A yes on any port when the length fits the payload's type (a
// CPing and a CPong are one byte, End Response two); the header alone is a maybe on 8009.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import {
  AJP_CPING, AJP_CPONG, AJP_END_RESPONSE, AJP_FORWARD_REQUEST, AJP_GET_BODY_CHUNK, AJP_HEADER_LEN, AJP_PING, AJP_PORT, AJP_SEND_BODY_CHUNK,
  AJP_SEND_HEADERS, AJP_SHUTDOWN, MAGIC_TO_CONTAINER, MAGIC_TO_SERVER,
} from './parse.js';

/** The smallest Forward Request: type, method, five null strings, port, is_ssl, no headers, 0xFF. */
const MIN_FORWARD_REQUEST = 2 + 5 * 2 + 2 + 1 + 2 + 1;
/** The smallest Send Headers: type, status, a null message, no headers. */
const MIN_SEND_HEADERS = 1 + 2 + 2 + 2;

/** Whether a payload of `n` bytes is plausible for message `type`. */
function fits(type: number, n: number, isOrig: boolean): boolean {
  if (isOrig) {
    if (type === AJP_FORWARD_REQUEST) return n >= MIN_FORWARD_REQUEST;
    return (type === AJP_CPING || type === AJP_PING || type === AJP_SHUTDOWN) && n === 1;
  }
  if (type === AJP_CPONG) return n === 1;
  if (type === AJP_END_RESPONSE) return n === 2;
  if (type === AJP_GET_BODY_CHUNK) return n === 3;
  if (type === AJP_SEND_HEADERS) return n >= MIN_SEND_HEADERS;
  return type === AJP_SEND_BODY_CHUNK && n >= 3;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  if (proto !== 6 || len < AJP_HEADER_LEN + 1) return PROBE_NO;
  const magic = (buf[off] << 8) | buf[off + 1];
  if (magic !== (isOrig ? MAGIC_TO_CONTAINER : MAGIC_TO_SERVER)) return PROBE_NO;
  const n = (buf[off + 2] << 8) | buf[off + 3];
  if (!fits(buf[off + AJP_HEADER_LEN], n, isOrig)) return PROBE_NO;
  // A short packet seen whole, or a Forward Request whose method and protocol string start right.
  if (len >= AJP_HEADER_LEN + n && n <= 3) return PROBE_YES;
  if (isOrig && buf[off + AJP_HEADER_LEN] === AJP_FORWARD_REQUEST && len >= AJP_HEADER_LEN + 4) {
    const method = buf[off + 5];
    const protoLen = (buf[off + 6] << 8) | buf[off + 7];
    if (method >= 1 && (method <= 27 || method === 0xff) && (protoLen === 0xffff || protoLen < 64)) return PROBE_YES;
    return PROBE_NO;
  }
  if (!isOrig && buf[off + AJP_HEADER_LEN] === AJP_SEND_HEADERS && len >= AJP_HEADER_LEN + 3) {
    const status = (buf[off + 5] << 8) | buf[off + 6];
    return status >= 100 && status <= 599 ? PROBE_YES : PROBE_NO;
  }
  return port === AJP_PORT ? PROBE_MAYBE : PROBE_NO;
}
