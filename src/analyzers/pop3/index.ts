// The POP3 analyzer's registration.
import type { AnalyzerSpec } from '../types.js';
import { Pop3Analyzer } from './analyzer.js';
import { probe } from './probe.js';

export const POP3: AnalyzerSpec = {
  name: 'pop3',
  tcp: true,
  udp: false,
  ports: [110],
  probe,
  create: () => new Pop3Analyzer(),
};
