// The NTP analyzer's registration: UDP 123 (RFC 5905), named `ntp` in conn.log as in Zeek.
import type { AnalyzerSpec } from '../types.js';
import { NtpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const NTP: AnalyzerSpec = {
  name: 'ntp',
  tcp: false,
  udp: true,
  ports: [123],
  probe,
  create: () => new NtpAnalyzer(),
};
