// Cheap recognition of POCT1-A on any port (devices connect to whatever port the data manager
// was configured with): an XML document whose root element is a POCT1-A message (HEL.R01 …).
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { messageStart } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number): number {
  const r = messageStart(buf, off, off + len);
  if (r === 'bad') return PROBE_NO;
  return r === 'need_more' ? PROBE_MAYBE : PROBE_YES;
}
