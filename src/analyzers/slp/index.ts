// The SLP analyzer's registration: UDP and TCP 427 (RFC 2608 §6.1), and any UDP port by a whole
// message. Named `slp` in conn.log (Zeek has no SLP analyzer).
import type { AnalyzerSpec } from '../types.js';
import { SlpAnalyzer } from './analyzer.js';
import { SLP_PORT } from './parse.js';
import { probe } from './probe.js';

export const SLP: AnalyzerSpec = {
  name: 'slp',
  tcp: true,
  udp: true,
  ports: [SLP_PORT],
  probe,
  // The version byte.
  firstBytes: [1, 2],
  create: () => new SlpAnalyzer(),
};
