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

export function connUid(c: Conn, prefix = 'C'): string {
  if (c.uid !== '') return c.uid;
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const vals = [c.serial, c.proto, c.o0, c.o1, c.o2, c.o3, c.r0, c.r1, c.r2, c.r3, c.oPort, c.rPort, c.startSec, c.startNsec];
  for (const v of vals) {
    a = mix(a, v | 0);
    b = mix(b, (v * 31 + 7) | 0);
  }
  let s = prefix;
  for (let i = 0; i < UID_CHARS; i++) {
    const r = (a ^ Math.imul(b, 2654435761)) >>> 0;
    s += ALPHABET[r % 62];
    a = mix(a, r + i);
    b = mix(b, a);
  }
  c.uid = s;
  return s;
}
