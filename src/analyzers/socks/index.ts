// The SOCKS analyzer's registration: TCP 1080, or any port by its greeting.
import type { AnalyzerSpec } from '../types.js';
import { SocksAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SOCKS: AnalyzerSpec = {
  name: 'socks',
  tcp: true,
  udp: false,
  ports: [1080],
  probe,
  create: () => new SocksAnalyzer(),
};
