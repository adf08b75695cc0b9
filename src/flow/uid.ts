// Deterministic connection uids in Zeek's shape ("C" + base62). Zeek draws them at random;
// wardline derives them from the connection's tuple, start time and creation order, so the
// same capture always yields the same uids.
import type { Conn } from './conn.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UID_CHARS = 17;

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

const ALPHA_CODES = Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
const codes = new Array<number>(UID_CHARS + 1);

export function connUid(c: Conn, prefix = 'C'): string {
  if (c.uid !== '') return c.uid;
  const st = c.store;
  const i = c.idx;
  const a8 = i * 8;
  // The creation serial alone makes the uid unique within a run; the tuple and start time
  // make uids of different captures differ.
  const ad = st.addr;
  let a = mix(0x811c9dc5 ^ (st.serial[i] | 0), ad[a8 + 3] ^ ad[a8 + 7] ^ (st.oPort[i] << 16) ^ st.rPort[i]);
  let b = mix(0x9747b28c ^ (st.startNsec[i] | 0), (st.startSec[i] | 0) ^ ad[a8] ^ ad[a8 + 1] ^ ad[a8 + 4] ^ ad[a8 + 5] ^ st.proto[i]);
  codes[0] = prefix.charCodeAt(0);
  // Four 32-bit words give the 17 base-62 digits (~101 bits).
  let w = a;
  for (let k = 0; k < UID_CHARS; k++) {
    if (k % 5 === 0) {
      a = mix(a, b + k);
      b = mix(b, a);
      w = (a ^ b) >>> 0;
    }
    codes[k + 1] = ALPHA_CODES[w % 62];
    w = Math.floor(w / 62);
  }
  const s = String.fromCharCode.apply(null, codes);
  c.uid = s;
  return s;
}
