// The AJP13 analyzer's registration: TCP 8009, or any port by a packet header.
import type { AnalyzerSpec } from '../types.js';
import { AjpAnalyzer } from './analyzer.js';
import { AJP_PORT } from './parse.js';
import { probe } from './probe.js';

export const AJP: AnalyzerSpec = {
  name: 'ajp',
  tcp: true,
  udp: false,
  ports: [AJP_PORT],
  probe,
  // 0x12 from the web server, 'A' from the container.
  firstBytes: [0x12, 0x41],
  create: () => new AjpAnalyzer(),
};
