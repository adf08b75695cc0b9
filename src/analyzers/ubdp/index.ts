// The UBDP analyzer's registration: UDP 10001 (Ubiquiti devices' discovery), or any UDP port by
// a header and TLV list that fit the datagram exactly.
import type { AnalyzerSpec } from '../types.js';
import { UbdpAnalyzer } from './analyzer.js';
import { UBDP_PORT, VERSION_1, VERSION_2 } from './parse.js';
import { probe } from './probe.js';

export const UBDP: AnalyzerSpec = {
  name: 'ubdp',
  tcp: false,
  udp: true,
  ports: [UBDP_PORT],
  probe,
  // the version byte
  firstBytes: [VERSION_1, VERSION_2],
  create: () => new UbdpAnalyzer(),
};
