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
const codes = new Uint8Array(UID_CHARS + 1);

export function connUid(c: Conn, prefix = 'C'): string {
  if (c.uid !== '') return c.uid;
  uidCodes(c, prefix);
  const s = String.fromCharCode.apply(null, codes as unknown as number[]);
  c.uid = s;
  return s;
}

/**
 * The uid's character codes (UID_LENGTH of them) in a buffer shared by every call, valid until
 * the next: conn.log writes them straight into its line when no analyzer needed the uid as a string.
 */
export function uidCodes(c: Conn, prefix = 'C'): ArrayLike<number> {
  const st = c.store;
  const i = c.idx;
  const a8 = i * 8;
  // The creation serial tells apart connections of one run; the tuple and start time make uids of
  // different captures differ. The serial is mixed on its own first: XORed straight into the tuple's
  // word, two copies of one flow (same start, same addresses) whose ports differ by what their
  // serials differ by (8009 and 8010 for serials n and n+1) got the same uid.
  const ad = st.addr;
  const a = mix(mix(0x811c9dc5, st.serial[i] | 0), ad[a8 + 3] ^ ad[a8 + 7] ^ (st.oPort[i] << 16) ^ st.rPort[i]);
  const b = mix(0x9747b28c ^ (st.startNsec[i] | 0), (st.startSec[i] | 0) ^ ad[a8] ^ ad[a8 + 1] ^ ad[a8 + 4] ^ ad[a8 + 5] ^ st.proto[i]);
  return fillCodes(prefix, a, b);
}

/**
 * A uid of the same shape derived from another uid and a number (files.log's fuid from its
 * connection's uid and the file's number in it): deterministic as the connection's own.
 */
export function derivedUid(prefix: string, from: string, n: number): string {
  let a = 0x811c9dc5 ^ n;
  let b = 0x9747b28c;
  for (let k = 0; k < from.length; k++) {
    a = mix(a, from.charCodeAt(k));
    b = mix(b ^ a, k);
  }
  fillCodes(prefix, a, b);
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

function fillCodes(prefix: string, a: number, b: number): ArrayLike<number> {
  codes[0] = prefix.charCodeAt(0);
  // 17 digits from three mixed words, six bits each (bit operations only, no division by 62).
  const w0 = mix(a, b);
  const w1 = mix(b, w0);
  const w2 = mix(w0, w1);
  for (let k = 0; k < UID_CHARS; k++) {
    const w = k < 5 ? w0 : k < 10 ? w1 : k < 15 ? w2 : w0 ^ w1;
    const v = (w >>> ((k % 5) * 6)) & 63;
    codes[k + 1] = ALPHA_CODES[v < 62 ? v : v - 62 + ((w2 >>> k) & 15)];
  }
  return codes;
}

export const UID_LENGTH = UID_CHARS + 1;
