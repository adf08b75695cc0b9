// The HSRP analyzer's registration: UDP 1985 (version 1) and 2029 (version 2), named `hsrp` in conn.log.
import type { AnalyzerSpec } from '../types.js';
import { HsrpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const HSRP: AnalyzerSpec = {
  name: 'hsrp',
  tcp: false,
  udp: true,
  ports: [1985, 2029],
  probe,
  firstBytes: [0, 1],
  create: () => new HsrpAnalyzer(),
};
