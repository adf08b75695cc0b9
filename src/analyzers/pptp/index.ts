// The PPTP analyzer's registration: TCP 1723, or any port by a Start-Control-Connection-Request.
// Service "pptp" (Zeek's core has no PPTP analyzer; nDPI's name).
import type { AnalyzerSpec } from '../types.js';
import { PptpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const PPTP: AnalyzerSpec = {
  name: 'pptp',
  tcp: true,
  udp: false,
  ports: [1723],
  probe,
  // the high byte of a control message's length (at most 1,024)
  firstBytes: [0, 1, 2, 3, 4],
  create: () => new PptpAnalyzer(),
};
