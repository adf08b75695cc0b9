// The ICMP router-control analyzer's registration: ICMP types 5, 9 and 10 (RFC 792, RFC 1256) on
// any IPv4 packet, tunnelled ones included.
import type { PacketAnalyzerSpec } from '../types.js';
import { icmpPacket } from './analyzer.js';

export const ICMP: PacketAnalyzerSpec = {
  name: 'icmp',
  icmpTypes: [5, 9, 10],
  icmp6Types: [],
  packet: icmpPacket,
};
