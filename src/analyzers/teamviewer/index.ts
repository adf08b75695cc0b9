// The TeamViewer analyzer's registration: TCP and UDP 5938 only (see parse.ts), named
// `teamviewer` in conn.log; the assessment reports the client as running a remote-access tool.
import type { AnalyzerSpec } from '../types.js';
import { TeamViewerAnalyzer } from './analyzer.js';
import { TEAMVIEWER_PORT } from './parse.js';
import { probe } from './probe.js';

export const TEAMVIEWER: AnalyzerSpec = {
  name: 'teamviewer',
  tcp: true,
  udp: true,
  ports: [TEAMVIEWER_PORT],
  probe,
  // the TCP magics' first bytes; a UDP datagram starts with a counter, so any byte there
  firstBytes: undefined,
  create: () => new TeamViewerAnalyzer(),
};
