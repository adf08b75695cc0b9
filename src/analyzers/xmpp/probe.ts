// XMPP on any port: a stream opening whose first bytes name the XMPP streams namespace or a
// jabber: content namespace. An XML declaration alone (clients send "<?xml version='1.0'?>" as
// a segment of its own) may be one, and so may the first bytes of either opening. A connection
// joined mid-way starts with a stanza: an <iq> with its type and id, a <message> of one of
// XMPP's types, a <presence> addressed to or from a JID or carrying entity capabilities.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';

const SPAN = 512;
const OPENINGS = ['<?xml', '<stream:stream'];
const STANZA = /^<(?:iq\b(?=[^>]*\btype=['"](?:get|set|result|error)['"])(?=[^>]*\bid=)|message\b(?=[^>]*\btype=['"](?:chat|groupchat|headline|normal|error)['"])|presence\b(?=[^>]*\b(?:to|from)=['"][^'"@]+@|[^>]*>\s*<c xmlns=['"]http:\/\/jabber\.org\/protocol\/caps))/;

export function probe(buf: Uint8Array, off: number, len: number): number {
  if (len < 1 || buf[off] !== 0x3c) return PROBE_NO;
  const t = Buffer.from(buf.buffer, buf.byteOffset + off, Math.min(len, SPAN)).toString('latin1');
  if (OPENINGS.some((o) => o.startsWith(t))) return PROBE_MAYBE;
  if (STANZA.test(t)) return PROBE_YES;
  if (!OPENINGS.some((o) => t.startsWith(o))) return PROBE_NO;
  if (t.includes('http://etherx.jabber.org/streams') || /xmlns=['"]jabber:(?:client|server)['"]/.test(t)) return PROBE_YES;
  return /^<\?xml[^>]*\?>\s*$/.test(t) ? PROBE_MAYBE : PROBE_NO;
}
