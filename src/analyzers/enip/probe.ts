// Cheap recognition of EtherNet/IP encapsulation on any port: a known command whose length
// field accounts exactly for the bytes after the 24-octet header, and zero options. CIP I/O
// (implicit messaging over UDP) by its two items whose lengths account for the datagram.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { COMMANDS } from './names.js';
import { ENCAP_HEADER, parseCipIo } from './parse.js';

/** ListServices, ListIdentity, ListInterfaces: an empty one is a request, which only a client sends. */
const LIST_COMMANDS = new Set([0x0004, 0x0063, 0x0064]);

export function probe(buf: Uint8Array, off: number, len: number, isOrig = true): number {
  if (len < 4) return PROBE_NO;
  const cmd = buf[off] | (buf[off + 1] << 8);
  if (COMMANDS[cmd] === undefined) return PROBE_NO;
  const n = buf[off + 2] | (buf[off + 3] << 8);
  if (len < ENCAP_HEADER) return PROBE_MAYBE;
  const options = buf[off + 20] | buf[off + 21] | buf[off + 22] | buf[off + 23];
  if (options !== 0) return PROBE_NO;
  // Command 0 (NOP) with zeros is too common a pattern to claim off-port.
  if (cmd === 0) return PROBE_MAYBE;
  // A server answers a List* request with its items (length > 0); an empty List* coming from the
  // responder is some other protocol's zeros (a 24-byte header of 0x63 and nothing: Zeek's
  // mapi.pcap, port 46348).
  if (!isOrig && n === 0 && LIST_COMMANDS.has(cmd)) return PROBE_NO;
  return ENCAP_HEADER + n === len ? PROBE_YES : PROBE_MAYBE;
}

const PROTO_UDP = 17;

/** CIP I/O: the Sequenced Address and Connected Data items, lengths exact to the byte. */
export function probeCipIo(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number): number {
  if (proto !== PROTO_UDP) return PROBE_NO;
  return parseCipIo(buf, off, len) === null ? PROBE_NO : PROBE_YES;
}
