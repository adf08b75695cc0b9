// The IKE analyzer's registration: UDP 500 (ISAKMP) and 4500 (NAT traversal), or any port by an
// initiator's first message. Service "ike" (Suricata's name; Zeek's core has no IKE analyzer).
import type { AnalyzerSpec } from '../types.js';
import { IkeAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const IKE: AnalyzerSpec = {
  name: 'ike',
  tcp: false,
  udp: true,
  ports: [500, 4500],
  probe,
  create: () => new IkeAnalyzer(),
};
