// Recognition of TFTP on any port: a read or write request with a known mode (RFC 1350 §5) is
// structure enough; any other opcode is only worth trying on port 69.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { OP_OACK, OP_RRQ, OP_WRQ, isWellFormedRequest, parseTftp } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (len < 2 || buf[off] !== 0) return PROBE_NO;
  const op = buf[off + 1];
  if (op < OP_RRQ || op > OP_OACK) return PROBE_NO;
  if (isOrig && (op === OP_RRQ || op === OP_WRQ)) {
    const p = parseTftp(buf, off, len);
    if (p !== 'bad' && (p.op === OP_RRQ || p.op === OP_WRQ) && p.fname !== '' && isWellFormedRequest(p)) return PROBE_YES;
  }
  return PROBE_MAYBE;
}
