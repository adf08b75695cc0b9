// Cheap recognition of IRC on any TCP port: the client's first line registers (NICK, USER,
// PASS, CAP) with the right shape, or the server's first line is a prefixed NOTICE or numeric
// reply (":irc.example.net NOTICE * :*** Looking up your hostname…").
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CLIENT_OPENERS, parseLine } from './parse.js';

function firstLine(buf: Uint8Array, off: number, len: number): string | null {
  const n = Math.min(len, 512);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[off + i];
    if (c === 0x0a) return s.replace(/\r$/, '');
    if (c < 0x20 && c !== 0x0d && c !== 0x09) return null;
    s += String.fromCharCode(c);
  }
  return null;
}

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number): number {
  if (proto !== 6 || len < 6) return PROBE_NO;
  const l = firstLine(buf, off, len);
  if (l === null) return PROBE_NO;
  const m = parseLine(l);
  if (m === null) return PROBE_NO;
  if (isOrig) {
    if (m.prefix !== '' || !CLIENT_OPENERS.has(m.command) || m.params.length === 0) return PROBE_NO;
    // USER takes four parameters (RFC 2812 §3.1.3), NICK one word, CAP a subcommand.
    if (m.command === 'USER' && m.params.length < 4) return PROBE_NO;
    if (m.command === 'NICK' && !/^[A-Za-z\[\]\\`_^{|}][\w\[\]\\`^{|}-]{0,31}$/.test(m.params[0])) return PROBE_NO;
    if (m.command === 'CAP' && !/^(LS|REQ|END|LIST)$/i.test(m.params[0])) return PROBE_NO;
    // A lone "PASS x" is also FTP's and POP3's second command (a capture that starts mid-login):
    // only a maybe, which IRC's own ports turn into a start.
    if (m.command === 'PASS') return PROBE_MAYBE;
    return PROBE_YES;
  }
  return m.prefix !== '' && (m.command === 'NOTICE' || /^\d{3}$/.test(m.command)) && m.params.length >= 2 ? PROBE_YES : PROBE_NO;
}
