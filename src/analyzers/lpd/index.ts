// The LPD analyzer's registration: TCP 515 (print servers and network printers).
import type { AnalyzerSpec } from '../types.js';
import { LpdAnalyzer } from './analyzer.js';
import { LPD_PORT } from './parse.js';
import { probe } from './probe.js';

export const LPD: AnalyzerSpec = {
  name: 'lpd',
  tcp: true,
  udp: false,
  ports: [LPD_PORT],
  probe,
  // the daemon command codes 1–5
  firstBytes: [1, 2, 3, 4, 5],
  create: () => new LpdAnalyzer(),
};
