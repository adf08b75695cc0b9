// The C12.22 analyzer's registration: TCP and UDP 1153, or any port by a whole APDU.
import type { AnalyzerSpec } from '../types.js';
import { C1222Analyzer } from './analyzer.js';
import { C1222_PORT } from './parse.js';
import { probe } from './probe.js';

export const C1222: AnalyzerSpec = {
  name: 'c1222',
  tcp: true,
  udp: true,
  ports: [C1222_PORT],
  probe,
  firstBytes: [0x60],
  create: () => new C1222Analyzer(),
};
