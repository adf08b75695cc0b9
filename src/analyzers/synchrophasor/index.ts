// The C37.118 synchrophasor analyzer's registration: TCP 4712 and UDP 4713 (and, as some
// deployments use them, the other way round), or any port by a frame whose checksum holds.
import type { AnalyzerSpec } from '../types.js';
import { SynchrophasorAnalyzer } from './analyzer.js';
import { PMU_TCP_PORT, PMU_UDP_PORT } from './parse.js';
import { probe } from './probe.js';

export const SYNCHROPHASOR: AnalyzerSpec = {
  name: 'synchrophasor',
  tcp: true,
  udp: true,
  ports: [PMU_TCP_PORT, PMU_UDP_PORT],
  probe,
  firstBytes: [0xaa],
  create: () => new SynchrophasorAnalyzer(),
};
