// Stratum (crypto-currency mining pools): found on any port by its first JSON-RPC line; pools
// listen on 3333, 4444, 5555, 7777, 8888, 9999, 14444 and many more, so no port is trusted alone.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { StratumAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const STRATUM: AnalyzerSpec = {
  name: 'stratum',
  tcp: true,
  udp: false,
  ports: [3333],
  probe,
  firstBytes: bytesOf('{'),
  create: () => new StratumAnalyzer(),
};
