// The template analyzer's registration: name, transports, ports, probe (with the first bytes it
// can accept, so the host skips it for other payloads; firstbytes.test.ts checks a registered
// analyzer's set) and factory.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { TemplateAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TEMPLATE: AnalyzerSpec = {
  name: 'template',
  tcp: true,
  udp: false,
  ports: [],
  probe,
  firstBytes: bytesOf('H'),
  create: () => new TemplateAnalyzer(),
};
