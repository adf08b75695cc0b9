// Cheap recognition of WireGuard on any port: a handshake initiation (type 1, 148 bytes) from
// the originator or a response (type 2, 92 bytes) from the responder is a "yes" — fixed sizes
// and zero reserved bytes. Transport data (type 4, 32 + 16n bytes), all a tunnel caught mid-way
// shows, is a "maybe": enough on port 51820 or when the other side's is one too (pairedMaybe).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MSG_INITIATION, MSG_RESPONSE, MSG_TRANSPORT, parseMessage } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  const m = parseMessage(buf, off, len);
  if (m === null) return PROBE_NO;
  if ((m.type === MSG_INITIATION && isOrig) || (m.type === MSG_RESPONSE && !isOrig)) return PROBE_YES;
  return m.type === MSG_TRANSPORT ? PROBE_MAYBE : PROBE_NO;
}
