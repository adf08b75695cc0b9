// The Checkmk agent analyzer's registration: TCP 6556, or any port by the agent's first line.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { CheckmkAnalyzer } from './analyzer.js';
import { CHECKMK_PORT } from './parse.js';
import { probe } from './probe.js';

export const CHECKMK: AnalyzerSpec = {
  name: 'checkmk',
  tcp: true,
  udp: false,
  ports: [CHECKMK_PORT],
  probe,
  firstBytes: bytesOf('<0123456789'),
  create: () => new CheckmkAnalyzer(),
};
