// The ASTM E1381/E1394 (CLSI LIS01-A2/LIS02-A2) analyzer's registration: TCP, found on any
// port by its framing and header record; no port is standard.
import type { AnalyzerSpec } from '../types.js';
import { ACK, ENQ, STX } from './parse.js';
import { AstmAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const ASTM: AnalyzerSpec = {
  name: 'astm',
  tcp: true,
  udp: false,
  ports: [],
  probe,
  // ENQ, ACK, STX, or 'H' of a bare header
  firstBytes: [ENQ, ACK, STX, 0x48],
  create: () => new AstmAnalyzer(),
};
