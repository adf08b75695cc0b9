// The XDMCP analyzer's registration: UDP 177, or any UDP port by its header.
import type { AnalyzerSpec } from '../types.js';
import { XdmcpAnalyzer } from './analyzer.js';
import { XDMCP_PORT } from './parse.js';
import { probe } from './probe.js';

export const XDMCP: AnalyzerSpec = {
  name: 'xdmcp',
  tcp: false,
  udp: true,
  ports: [XDMCP_PORT],
  probe,
  // the high byte of version 1
  firstBytes: [0x00],
  create: () => new XdmcpAnalyzer(),
};
