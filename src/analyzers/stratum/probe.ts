// Stratum on any port: a JSON object whose first line names a mining method. The client speaks
// first (subscribe, authorize, login); a connection joined mid-way shows a share from the miner
// or a job from the pool. The method must be one of the protocol's: plain JSON-RPC is not Stratum.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { MAX_LINE, methodDialect } from './parse.js';

/** How far into the first line the method is looked for. */
const PROBE_SPAN = 1024;
const METHOD = Buffer.from('"method"', 'latin1');

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 1 || buf[off] !== 0x7b) return PROBE_NO;
  const n = Math.min(len, PROBE_SPAN, MAX_LINE);
  const b = Buffer.from(buf.buffer, buf.byteOffset + off, n);
  const nl = b.indexOf(0x0a);
  const line = nl < 0 ? b : b.subarray(0, nl);
  const at = line.indexOf(METHOD);
  if (at < 0) return nl < 0 && n < PROBE_SPAN ? PROBE_MAYBE : PROBE_NO;
  // "method" : "name"
  let i = at + METHOD.length;
  while (i < line.length && (line[i] === 0x20 || line[i] === 0x3a || line[i] === 0x09)) i++;
  if (i >= line.length) return nl < 0 ? PROBE_MAYBE : PROBE_NO;
  if (line[i] !== 0x22) return PROBE_NO;
  const end = line.indexOf(0x22, i + 1);
  if (end < 0) return nl < 0 ? PROBE_MAYBE : PROBE_NO;
  return methodDialect(line.toString('latin1', i + 1, end), isOrig) !== null ? PROBE_YES : PROBE_NO;
}
