// The Niagara Fox analyzer's registration: TCP 1911, or any port by a message header.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { FoxAnalyzer } from './analyzer.js';
import { FOX_PORT } from './parse.js';
import { probe } from './probe.js';

export const FOX: AnalyzerSpec = {
  name: 'niagara_fox',
  tcp: true,
  udp: false,
  ports: [FOX_PORT],
  probe,
  firstBytes: bytesOf('f'),
  create: () => new FoxAnalyzer(),
};
