// Cheap recognition of SCCP: a message header whose length is possible, whose header version is
// one in use and whose message id is a known one — a yes on any port once the whole first message
// is there (on 2000 the header is enough). A lone KeepAlive (twelve bytes, nine of them zero) is
// too plain to claim a flow off 2000; a header not yet whole is a maybe on 2000.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { KEEP_ALIVE, messageName } from './messages.js';
import { HEADER_LEN, MAX_DATA_LEN, MIN_DATA_LEN, SCCP_PORT, knownHeaderVersion, u32 } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  if (proto !== 6 || len < 1) return PROBE_NO;
  const onPort = port === SCCP_PORT;
  if (len < HEADER_LEN) {
    // The length's upper bytes are zero (no message is longer than MAX_DATA_LEN).
    if (!onPort || (len >= 4 && (u32(buf, off) < MIN_DATA_LEN || u32(buf, off) > MAX_DATA_LEN)) || (len >= 3 && buf[off + 2] !== 0)) return PROBE_NO;
    return PROBE_MAYBE;
  }
  const n = u32(buf, off);
  if (n < MIN_DATA_LEN || n > MAX_DATA_LEN || !knownHeaderVersion(u32(buf, off + 4))) return PROBE_NO;
  const id = u32(buf, off + 8);
  if (messageName(id) === undefined) return PROBE_NO;
  if (onPort) return PROBE_YES;
  return id !== KEEP_ALIVE && len >= 8 + n ? PROBE_YES : PROBE_NO;
}
