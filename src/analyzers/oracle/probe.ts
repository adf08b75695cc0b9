// Cheap recognition of Oracle Net (TNS) on any TCP port: the client's first packet is a CONNECT
// whose version and connect-data offset are in range and whose descriptor, when inline, starts
// with a keyword list such as "(DESCRIPTION=".
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { isDescriptor, parseConnect } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (proto !== 6 || !isOrig) return PROBE_NO;
  const c = parseConnect(buf, off, len);
  if (c === null) return PROBE_NO;
  if (c.descriptor === null) return PROBE_MAYBE;
  return isDescriptor(c.descriptor) ? PROBE_YES : PROBE_NO;
}
