// The template analyzer's registration: name, transports, ports, probe and factory.
import type { AnalyzerSpec } from '../types.js';
import { TemplateAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TEMPLATE: AnalyzerSpec = {
  name: 'template',
  tcp: true,
  udp: false,
  ports: [],
  probe,
  create: () => new TemplateAnalyzer(),
};
