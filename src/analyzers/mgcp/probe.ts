// Cheap recognition of MGCP (RFC 3435 §3.2.1, §3.3) on any UDP port: a first line that is a whole
// command line — a known verb, a transaction id of 1 to 9 digits, an endpoint name with its
// "@domain", "MGCP" and a version — says so anywhere. A response line ("200 1234 OK") is three
// digits and a number, which too much else can be: it is only a "maybe", which the host takes on
// MGCP's own ports (2427, 2727) and nowhere else.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { VERB_FIRST_LETTERS, parseCommandLine, parseResponseLine } from './parse.js';

/** Bytes of the first line looked at: a command line is short. */
const MAX_PROBE_LINE = 512;
const PROTO_UDP = 17;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== PROTO_UDP || len <= 0) return PROBE_NO;
  const first = buf[off];
  // A verb's letter or a response code's digit: anything else is not worth decoding.
  const isDigit = first >= 0x30 && first <= 0x39;
  if (!isDigit && !VERB_FIRST_LETTERS.includes(String.fromCharCode(first & 0xdf))) return PROBE_NO;
  const n = Math.min(len, MAX_PROBE_LINE + 1);
  let end = n;
  for (let i = 0; i < n; i++) {
    const c = buf[off + i];
    if (c === 0x0a || c === 0x0d) {
      end = i;
      break;
    }
  }
  // A datagram is whole: a first line with no end in sight is too long to be MGCP's.
  if (end > MAX_PROBE_LINE) return PROBE_NO;
  const line = Buffer.from(buf.buffer, buf.byteOffset + off, end).toString('latin1');
  if (parseCommandLine(line) !== null) return PROBE_YES;
  return parseResponseLine(line) !== null ? PROBE_MAYBE : PROBE_NO;
}
