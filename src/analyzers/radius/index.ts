// The RADIUS analyzer's registration: authentication 1812 (RFC 2865) and the legacy 1645,
// accounting 1813 (RFC 2866) and the legacy 1646, Dynamic Authorization 3799 (RFC 5176).
// Named `radius` in conn.log as in Zeek.
import type { AnalyzerSpec } from '../types.js';
import { knownCode } from './parse.js';
import { RadiusAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RADIUS: AnalyzerSpec = {
  name: 'radius',
  tcp: false,
  udp: true,
  ports: [1812, 1813, 1645, 1646, 3799],
  probe,
  // the RADIUS codes (RFC 2865, 2866, 5176)
  firstBytes: Array.from({ length: 256 }, (_, b) => b).filter(knownCode),
  create: () => new RadiusAnalyzer(),
};
