// The Megaco (H.248) analyzer's registration: the text encoding on UDP 2944, or any UDP port by
// its header. Named `megaco` in conn.log.
import type { AnalyzerSpec } from '../types.js';
import { MegacoAnalyzer } from './analyzer.js';
import { MEGACO_PORT } from './parse.js';
import { probe } from './probe.js';

export const MEGACO: AnalyzerSpec = {
  name: 'megaco',
  tcp: false,
  udp: true,
  ports: [MEGACO_PORT],
  probe,
  // "M", "m", "!" — and white space before it
  firstBytes: [0x4d, 0x6d, 0x21, 0x20, 0x09, 0x0d, 0x0a],
  create: () => new MegacoAnalyzer(),
};
