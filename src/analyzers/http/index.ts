// The HTTP/1.x analyzer's registration.
import type { AnalyzerSpec } from '../types.js';
import { METHODS } from './parse.js';
import { HttpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const HTTP: AnalyzerSpec = {
  name: 'http',
  tcp: true,
  udp: false,
  ports: [80, 81, 591, 8000, 8008, 8080, 8088, 8888, 3128],
  probe,
  // a method's first letter, or the H of HTTP/1.
  firstBytes: [...new Set([...METHODS.map((m) => m.charCodeAt(0)), 0x48])],
  create: () => new HttpAnalyzer(),
};
