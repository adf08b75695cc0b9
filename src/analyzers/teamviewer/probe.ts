// TeamViewer on its port only: a "maybe" that the analyzer confirms when both sides show the magic.
import { PROBE_MAYBE, PROBE_NO } from '../types.js';
import { TEAMVIEWER_PORT, tcpMagic, udpMagic } from './parse.js';

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port: number): number {
  if (port !== TEAMVIEWER_PORT) return PROBE_NO;
  return (proto === 6 ? tcpMagic(buf, off, len) : udpMagic(buf, off, len)) ? PROBE_MAYBE : PROBE_NO;
}
