// The POP3 analyzer's registration.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { Pop3Analyzer } from './analyzer.js';
import { probe } from './probe.js';

export const POP3: AnalyzerSpec = {
  name: 'pop3',
  tcp: true,
  udp: false,
  ports: [110],
  probe,
  // CAPA, AUTH, STLS (any case), or +OK
  firstBytes: bytesOf('CcAaSs+'),
  create: () => new Pop3Analyzer(),
};
