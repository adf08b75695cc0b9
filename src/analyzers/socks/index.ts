// The SOCKS analyzer's registration: TCP 1080, or any port by its greeting.
import type { AnalyzerSpec } from '../types.js';
import { SOCKS4, SOCKS5 } from './parse.js';
import { SocksAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SOCKS: AnalyzerSpec = {
  name: 'socks',
  tcp: true,
  udp: false,
  ports: [1080],
  probe,
  // the version
  firstBytes: [SOCKS4, SOCKS5],
  create: () => new SocksAnalyzer(),
};
