// The CAPWAP control analyzer's registration: UDP 5246, or any UDP port by its headers. The data
// channel (5247) is a tunnel the decoder opens (src/decode/decoder.ts): its clients' frames are
// decoded and analysed like any others.
import type { AnalyzerSpec } from '../types.js';
import { CapwapAnalyzer } from './analyzer.js';
import { CAPWAP_CONTROL_PORT, PREAMBLE_CAPWAP, PREAMBLE_DTLS } from './parse.js';
import { probe } from './probe.js';

export const CAPWAP: AnalyzerSpec = {
  name: 'capwap',
  tcp: false,
  udp: true,
  ports: [CAPWAP_CONTROL_PORT],
  probe,
  firstBytes: [PREAMBLE_CAPWAP, PREAMBLE_DTLS],
  create: () => new CapwapAnalyzer(),
};
