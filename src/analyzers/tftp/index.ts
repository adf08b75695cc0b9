// The TFTP analyzer's registration: UDP port 69 (RFC 1350); transfer flows are started by the
// host from a request's expectation (createExpected), not by port or probe.
import type { AnalyzerSpec } from '../types.js';
import { TftpAnalyzer } from './analyzer.js';
import type { TftpTransfer } from './events.js';
import { probe } from './probe.js';

export const TFTP: AnalyzerSpec = {
  name: 'tftp',
  tcp: false,
  udp: true,
  ports: [69],
  probe,
  // the high byte of the opcode
  firstBytes: [0],
  create: () => new TftpAnalyzer(),
  createExpected: (init) => new TftpAnalyzer(init as TftpTransfer),
};
