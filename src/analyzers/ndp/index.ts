// The Neighbor Discovery analyzer's registration: ICMPv6 types 133–137 (RFC 4861), on any
// IPv6 packet, tunnelled ones included.
import type { Icmp6AnalyzerSpec } from '../types.js';
import { ndpPacket } from './analyzer.js';

export const NDP: Icmp6AnalyzerSpec = {
  name: 'ndp',
  icmp6Types: [133, 134, 135, 136, 137],
  packet: ndpPacket,
};
