// The VRRP analyzer's registration: IP protocol 112 (RFC 3768, RFC 5798), on IPv4 and IPv6.
import type { PacketAnalyzerSpec } from '../types.js';
import { vrrpPacket } from './analyzer.js';
import { IPPROTO_VRRP } from './parse.js';

export const VRRP: PacketAnalyzerSpec = {
  name: 'vrrp',
  icmpTypes: [],
  icmp6Types: [],
  ipProtocols: [IPPROTO_VRRP],
  packet: vrrpPacket,
};
