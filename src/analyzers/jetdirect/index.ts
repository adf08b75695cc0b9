// The raw-printing analyzer's registration: TCP 9100–9102 (HP JetDirect and every network
// printer's raw port), or any port by PJL.
import type { AnalyzerSpec } from '../types.js';
import { bytesOf } from '../types.js';
import { JetdirectAnalyzer } from './analyzer.js';
import { JETDIRECT_PORTS } from './parse.js';
import { probe } from './probe.js';

export const JETDIRECT: AnalyzerSpec = {
  name: 'jetdirect',
  tcp: true,
  udp: false,
  ports: JETDIRECT_PORTS,
  probe,
  // ESC (UEL, PCL), "@PJL", and on the raw ports the languages' first bytes after white space
  // or a PostScript Ctrl-D.
  firstBytes: [0x1b, ...bytesOf('@%^~()\'\r\n \t\f'), 0x04],
  create: () => new JetdirectAnalyzer(),
};
