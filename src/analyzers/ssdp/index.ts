// The SSDP analyzer's registration (UDP 1900, found elsewhere by its probe).
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { SsdpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SSDP_PORT = 1900;

export const SSDP: AnalyzerSpec = {
  name: 'ssdp',
  tcp: false,
  udp: true,
  ports: [SSDP_PORT],
  probe,
  // M-SEARCH, NOTIFY, HTTP/1.
  firstBytes: bytesOf('MNH'),
  create: () => new SsdpAnalyzer(),
};
