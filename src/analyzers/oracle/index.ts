// The Oracle Net (TNS) analyzer's registration: TCP 1521 (the listener's port) and any TCP port
// where the client's first packet is a CONNECT with a connect descriptor. Named `oracle`, as
// Arkime names it.
import type { AnalyzerSpec } from '../types.js';
import { OracleAnalyzer } from './analyzer.js';
import { TNS_PORT } from './parse.js';
import { probe } from './probe.js';

export const ORACLE: AnalyzerSpec = {
  name: 'oracle',
  tcp: true,
  udp: false,
  ports: [TNS_PORT],
  probe,
  // the high byte of a CONNECT packet's length (at most 4 KiB of descriptor plus the header)
  firstBytes: Array.from({ length: 0x11 }, (_, b) => b),
  create: () => new OracleAnalyzer(),
};
