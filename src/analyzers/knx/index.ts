// The KNXnet/IP analyzer's registration: UDP 3671 (KNX IP routers and interfaces, routing on
// multicast 224.0.23.12), and any UDP port by its header. Named `knxnetip` in conn.log.
import type { AnalyzerSpec } from '../types.js';
import { KnxAnalyzer } from './analyzer.js';
import { HEADER_LEN, KNX_PORT } from './parse.js';
import { probe } from './probe.js';

export const KNX: AnalyzerSpec = {
  name: 'knxnetip',
  tcp: false,
  udp: true,
  ports: [KNX_PORT],
  probe,
  // the header length
  firstBytes: [HEADER_LEN],
  create: () => new KnxAnalyzer(),
};
