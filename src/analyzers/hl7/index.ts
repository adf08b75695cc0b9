// The HL7 v2 (MLLP) analyzer's registration: TCP, found on any port by its framing.
import type { AnalyzerSpec } from '../types.js';
import { MLLP_START } from './parse.js';
import { Hl7Analyzer } from './analyzer.js';
import { probe } from './probe.js';

export const HL7: AnalyzerSpec = {
  name: 'hl7',
  tcp: true,
  udp: false,
  ports: [2575, 6661],
  probe,
  // the MLLP start block
  firstBytes: [MLLP_START],
  create: () => new Hl7Analyzer(),
};
