// The rlogin analyzer's registration; its attempts go to the `login` log (telnet/log.ts).
import type { AnalyzerSpec } from '../types.js';
import { RloginAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RLOGIN: AnalyzerSpec = {
  name: 'rlogin',
  tcp: true,
  udp: false,
  ports: [513],
  probe,
  // the NUL that opens the handshake (RFC 1282)
  firstBytes: [0],
  create: () => new RloginAnalyzer(),
};
