// The IP protocol census's registration: every IP protocol number but the transports tracked as
// connections (TCP, UDP, ICMP, ICMPv6), on IPv4 and IPv6.
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../../decode/packet.js';
import type { PacketAnalyzerSpec } from '../types.js';
import { ipProtocolPacket } from './analyzer.js';

const TRACKED = new Set([IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6]);

export const IP_PROTOCOLS: PacketAnalyzerSpec = {
  name: 'ipproto',
  icmpTypes: [],
  icmp6Types: [],
  ipProtocols: Array.from({ length: 256 }, (_, p) => p).filter((p) => !TRACKED.has(p)),
  packet: ipProtocolPacket,
};
