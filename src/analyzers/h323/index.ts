// The H.323 analyzer's registration: H.225.0 RAS on UDP 1719 (and gatekeeper discovery on 1718),
// call signalling (Q.931 in TPKT) on TCP 1720 or any TCP port by a whole first message. Both are
// `h323` in conn.log. H.245 on its negotiated port is not read.
import type { AnalyzerSpec } from '../types.js';
import { H323Analyzer } from './analyzer.js';
import { RAS_DISCOVERY_PORT, RAS_PORT, probe } from './probe.js';
import { H225_CS_PORT } from './q931.js';

export const H323: AnalyzerSpec = {
  name: 'h323',
  tcp: true,
  udp: true,
  ports: [RAS_DISCOVERY_PORT, RAS_PORT, H225_CS_PORT],
  // No firstBytes: a RasMessage may open with any octet.
  probe,
  create: () => new H323Analyzer(),
};
