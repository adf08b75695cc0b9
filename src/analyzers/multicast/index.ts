// The multicast membership analyzers' registration: IGMP on IPv4 protocol 2, MLD on ICMPv6
// types 130 (query), 131 (v1 report), 132 (done) and 143 (v2 report).
import type { PacketAnalyzerSpec } from '../types.js';
import { igmpPacket, mldPacket } from './analyzer.js';
import { IPPROTO_IGMP, MLD2_REPORT, MLD_DONE, MLD_QUERY, MLD_REPORT } from './parse.js';

export const IGMP: PacketAnalyzerSpec = {
  name: 'igmp',
  icmpTypes: [],
  icmp6Types: [],
  ipProtocols: [IPPROTO_IGMP],
  packet: igmpPacket,
};

export const MLD: PacketAnalyzerSpec = {
  name: 'mld',
  icmpTypes: [],
  icmp6Types: [MLD_QUERY, MLD_REPORT, MLD_DONE, MLD2_REPORT],
  packet: mldPacket,
};
