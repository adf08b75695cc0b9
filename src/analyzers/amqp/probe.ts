// Cheap recognition of AMQP 0-9-1 on any port: a client opens with "AMQP" and four version
// octets (certain). A capture that joined a connection sees frames instead: a method frame
// whose size accounts for the chunk, whose frame-end octet is 0xCE and whose class and method
// are AMQP's is a yes; a heartbeat, content header or body frame of the same shape a maybe
// (enough on port 5672, or with a maybe from the other side: the spec's pairedMaybe).
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { FRAME_END, FRAME_HEADER_LEN, FRAME_METHOD, METHODS, PROTOCOL_HEADER_LEN, frameLength, isProtocolHeader } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (isProtocolHeader(buf, off, len)) {
    if (len !== PROTOCOL_HEADER_LEN) return PROBE_NO;
    // 0 0 9 1 (0-9-1), 0 1 0 0 (1.0), 1 1 8 0 / 1 1 9 1 (0-8, 0-9): a client's; a server answers with it only to refuse.
    return isOrig ? PROBE_CERTAIN : PROBE_MAYBE;
  }
  const n = frameLength(buf, off, len);
  if (n <= 0 || n > len || buf[off + n - 1] !== FRAME_END) return PROBE_NO;
  if (buf[off] !== FRAME_METHOD) return PROBE_MAYBE;
  if (n < FRAME_HEADER_LEN + 5) return PROBE_NO;
  const p = off + FRAME_HEADER_LEN;
  const id = ((buf[p] << 8) | buf[p + 1]) * 65536 + ((buf[p + 2] << 8) | buf[p + 3]);
  return METHODS[id] === undefined ? PROBE_NO : PROBE_YES;
}
