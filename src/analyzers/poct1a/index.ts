// The POCT1-A (CLSI POCT01-A2 device messaging) analyzer's registration: TCP, found on any port
// by its XML message root; no port is standard.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { Poct1aAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const POCT1A: AnalyzerSpec = {
  name: 'poct1a',
  tcp: true,
  udp: false,
  ports: [],
  probe,
  // '<' of the XML declaration or the root, a UTF-8 BOM, or leading whitespace
  firstBytes: [...bytesOf('<'), 0xef, 0x20, 0x09, 0x0d, 0x0a],
  create: () => new Poct1aAnalyzer(),
};
