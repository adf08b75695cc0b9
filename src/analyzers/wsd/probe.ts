// Cheap recognition of WS-Discovery on any UDP port: the datagram is XML (optionally after a
// byte order mark and white space) and names a WS-Discovery namespace; only then is it parsed,
// and it is ours when its SOAP Action is a discovery action.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { WSD_2005_NS, WSD_2009_NS, parseWsd } from './parse.js';

const UDP = 17;
/** How far into the datagram the namespace declaration is looked for (it sits in the Envelope's start tag or header). */
const SCAN_BYTES = 4096;
const NEEDLES = [WSD_2005_NS, WSD_2009_NS].map((s) => Buffer.from(s, 'latin1'));

function startsXml(buf: Uint8Array, off: number, len: number): boolean {
  let i = off;
  const end = off + Math.min(len, 64);
  if (len >= 3 && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i < end && buf[i] === 0x3c;
}

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== UDP || !startsXml(buf, off, len)) return PROBE_NO;
  const head = Buffer.from(buf.buffer, buf.byteOffset + off, Math.min(len, SCAN_BYTES));
  if (!NEEDLES.some((n) => head.indexOf(n) >= 0)) return PROBE_NO;
  const r = parseWsd(buf, off, len);
  return typeof r === 'object' ? PROBE_YES : PROBE_NO;
}
