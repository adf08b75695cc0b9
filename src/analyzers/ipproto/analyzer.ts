// The IP protocol census: which IP protocols other than TCP, UDP and ICMP each host sends to each
// other host. Hosts speak a few (IGMP, GRE, ESP, VRRP, OSPF, PIM, SCTP) and mostly to groups; a
// host that sends a dozen different protocol numbers to one address is asking which of them it
// answers (an IP protocol scan, nmap -sO: a closed protocol answers ICMP protocol unreachable).
// One event per new (source, destination, protocol); the monitor's scan detector counts them.
// Per packet nothing is allocated: the triple is a number in a bounded set, and the strings are
// made only for a triple not seen before.
import { formatAddr, formatMac, type PacketMeta } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import type { IpProtocolEvent } from './events.js';

/** Triples remembered; past it the set starts over (a triple may be reported again). */
const MAX_TRIPLES = 65536;

/** A 32-bit hash of an address's four words (FNV-1a over words, then a final mix). */
function addrHash(a: Uint32Array | number[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ a[i], 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

/** An IPv4 class D or E (multicast, limited broadcast) or IPv6 ff00::/8 destination. */
export function isGroupDst(m: PacketMeta): boolean {
  const d = m.dst;
  if (m.ipVersion === 4) return d[3] >>> 28 >= 0xe;
  return d[0] >>> 24 === 0xff;
}

export function ipProtocolPacket(ctx: FrameContext, _buf: Uint8Array, _off: number, _len: number): void {
  const m = ctx.packet;
  if (isGroupDst(m)) return;
  const seen = ctx.state('ipproto.seen', () => new Set<number>());
  // The (source, destination) pair hashed to 32 bits, times 256, plus the protocol: an exact integer.
  const key = ((addrHash(m.src) ^ Math.imul(addrHash(m.dst), 0x9e3779b1)) >>> 0) * 256 + (m.proto & 0xff);
  if (seen.has(key)) return;
  if (seen.size >= MAX_TRIPLES) seen.clear();
  seen.add(key);
  const s = m.src;
  const d = m.dst;
  const ev: IpProtocolEvent = { type: 'ip.protocol', src: formatAddr(s[0], s[1], s[2], s[3]), dst: formatAddr(d[0], d[1], d[2], d[3]), proto: m.proto & 0xff, mac_src: formatMac(m.srcMac), packet: m.packetNo };
  ctx.emit(ev);
}
