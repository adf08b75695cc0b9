// The S7comm / S7comm-plus analyzer's registration (ISO-TSAP, TCP 102; found elsewhere by its probe).
import type { AnalyzerSpec } from '../types.js';
import { TPKT_VERSION } from './parse.js';
import { S7commAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const ISO_TSAP_PORT = 102;

export const S7COMM: AnalyzerSpec = {
  name: 's7comm',
  tcp: true,
  udp: false,
  ports: [ISO_TSAP_PORT],
  probe,
  // the TPKT version
  firstBytes: [TPKT_VERSION],
  create: () => new S7commAnalyzer(),
};
