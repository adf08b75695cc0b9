// The RDP analyzer's registration: TCP 3389 and any port where the X.224 request carries an
// RDP cookie or negotiation request.
import type { AnalyzerSpec } from '../types.js';
import { TPKT_VERSION } from './parse.js';
import { RdpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RDP: AnalyzerSpec = {
  name: 'rdp',
  tcp: true,
  udp: false,
  ports: [3389],
  probe,
  // the TPKT version
  firstBytes: [TPKT_VERSION],
  create: () => new RdpAnalyzer(),
};
