// Cheap recognition of CoAP on any port (RFC 7252 §3). CoAP has no magic number: version 1, a
// token of at most 8 bytes, a request method or a response code of class 2/4/5, and options
// well formed to the end or to a payload marker. That is YES only when at least one option is a
// registered one; a bare header, an Empty message or unregistered options stay MAYBE (a start on
// UDP 5683 only), since a 4-byte binary header is easily matched by chance.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CODE_EMPTY, CODE_NAMES, parseCoap } from './parse.js';

const UDP = 17;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== UDP) return PROBE_NO;
  const m = parseCoap(buf, off, len);
  if (typeof m === 'string') return PROBE_NO;
  if (m.code === CODE_EMPTY) return PROBE_MAYBE;
  // Unassigned codes of a valid class are legal but rare: not enough off the port.
  if (CODE_NAMES[m.code] === undefined) return PROBE_MAYBE;
  return m.knownOptions > 0 && m.knownOptions === m.optionCount ? PROBE_YES : PROBE_MAYBE;
}
