// The NAT-PMP / PCP analyzer's registration: UDP 5351 (requests and answers) and 5350
// (announcements), named `nat-pmp` or `pcp` in conn.log by the version spoken.
import type { AnalyzerSpec } from '../types.js';
import { PortMapAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const NATPMP: AnalyzerSpec = {
  name: 'nat-pmp',
  tcp: false,
  udp: true,
  ports: [5351, 5350],
  probe,
  firstBytes: [0, 2],
  create: () => new PortMapAnalyzer(),
};
