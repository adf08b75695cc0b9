// The SIP analyzer's registration: UDP and TCP 5060 (RFC 3261 §18.1), found elsewhere by its probe.
import type { AnalyzerSpec } from '../types.js';
import { SipAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SIP_PORT = 5060;

export const SIP: AnalyzerSpec = {
  name: 'sip',
  tcp: true,
  udp: true,
  ports: [SIP_PORT],
  probe,
  create: () => new SipAnalyzer(),
};
