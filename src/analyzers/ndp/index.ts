// The Neighbor Discovery analyzer's registration: ICMPv6 types 133–137 (RFC 4861), on any
// IPv6 packet, tunnelled ones included.
import type { PacketAnalyzerSpec } from '../types.js';
import { ndpPacket } from './analyzer.js';

export const NDP: PacketAnalyzerSpec = {
  name: 'ndp',
  icmpTypes: [],
  icmp6Types: [133, 134, 135, 136, 137],
  packet: ndpPacket,
};
