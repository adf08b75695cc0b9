// The RDP-UDP analyzer's registration: UDP 3389, and any port where the first client datagram
// is an RDP-UDP SYN. Named `rdpeudp` in conn.log, as in Zeek.
import type { AnalyzerSpec } from '../types.js';
import { RdpeudpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RDPEUDP: AnalyzerSpec = {
  name: 'rdpeudp',
  tcp: false,
  udp: true,
  ports: [3389],
  probe,
  // the first byte of snSourceAck, -1 in a SYN
  firstBytes: [0xff],
  create: () => new RdpeudpAnalyzer(),
};
