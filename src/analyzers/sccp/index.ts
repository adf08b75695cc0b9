// The SCCP (Cisco Skinny) analyzer's registration: TCP 2000, or any port by a whole first message.
// SCCP over TLS (2443) is the TLS analyzer's.
import type { AnalyzerSpec } from '../types.js';
import { SccpAnalyzer } from './analyzer.js';
import { SCCP_PORT } from './parse.js';
import { probe } from './probe.js';

export const SCCP: AnalyzerSpec = {
  name: 'sccp',
  tcp: true,
  udp: false,
  ports: [SCCP_PORT],
  probe,
  create: () => new SccpAnalyzer(),
};
