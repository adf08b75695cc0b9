// The RDP-UDP analyzer's registration: UDP 3389, and any port where the first client datagram
// is an RDP-UDP SYN. Named `rdpeudp` in conn.log, as in Zeek.
import type { AnalyzerSpec } from '../types.js';
import { RdpeudpAnalyzer } from './analyzer.js';
import { RDP_PORT } from './parse.js';
import { probe } from './probe.js';

export const RDPEUDP: AnalyzerSpec = {
  name: 'rdpeudp',
  tcp: false,
  udp: true,
  ports: [RDP_PORT],
  probe,
  // Any: a SYN's snSourceAck starts 0xff, but a transport joined mid-way (a maybe on 3389)
  // starts with any byte of its acknowledged sequence number.
  firstBytes: undefined,
  create: () => new RdpeudpAnalyzer(),
};
