// The DNS analyzer's registration: DNS over UDP and TCP (53), NetBIOS name service (137),
// mDNS (5353) and LLMNR (5355), all named `dns` in conn.log as Zeek names them.
import type { AnalyzerSpec } from '../types.js';
import { DnsAnalyzer, PORT_DNS, PORT_LLMNR, PORT_MDNS, PORT_NBNS } from './analyzer.js';
import { probe } from './probe.js';

export const DNS: AnalyzerSpec = {
  name: 'dns',
  tcp: true,
  udp: true,
  ports: [PORT_DNS, PORT_NBNS, PORT_MDNS, PORT_LLMNR],
  probe,
  create: () => new DnsAnalyzer(),
};
