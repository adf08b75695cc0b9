// The IntelliVue Data Export analyzer's registration: UDP 24005 (the monitors' Connect
// Indication broadcasts) and 24105 (association and data export), and any UDP port where a
// datagram is a Connect Indication or an SPpdu-framed export message. Named `intellivue`.
import type { AnalyzerSpec } from '../types.js';
import { IntellivueAnalyzer } from './analyzer.js';
import { CONNECT_INDICATION_PORT, DATA_EXPORT_PORT } from './parse.js';
import { probe } from './probe.js';

export const INTELLIVUE: AnalyzerSpec = {
  name: 'intellivue',
  tcp: false,
  udp: true,
  ports: [CONNECT_INDICATION_PORT, DATA_EXPORT_PORT],
  probe,
  // the nomenclature's magic (0x00), the SPpdu session id (0xE1), a session header type
  firstBytes: [0x00, 0xe1, 0x0d, 0x0e, 0x0c, 0x09, 0x0a, 0x19],
  create: () => new IntellivueAnalyzer(),
};
