// The Telnet analyzer's registration.
import type { AnalyzerSpec } from '../types.js';
import { TelnetAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TELNET: AnalyzerSpec = {
  name: 'telnet',
  tcp: true,
  udp: false,
  ports: [23],
  probe,
  create: () => new TelnetAnalyzer(),
};
