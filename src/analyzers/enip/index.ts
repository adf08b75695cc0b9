// The EtherNet/IP analyzer's registration (TCP and UDP 44818, found elsewhere by its probe).
import type { AnalyzerSpec } from '../types.js';
import { COMMANDS } from './names.js';
import { EnipAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const ENIP_PORT = 44818;

export const ENIP: AnalyzerSpec = {
  name: 'enip',
  tcp: true,
  udp: true,
  ports: [ENIP_PORT],
  probe,
  // the low byte of an encapsulation command (little-endian)
  firstBytes: [...new Set(Object.keys(COMMANDS).map((k) => Number(k) & 0xff))],
  create: () => new EnipAnalyzer(),
};
