// The RFB (VNC) analyzer's registration: TCP 5900–5903, or any port by the version banner.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { RfbAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RFB: AnalyzerSpec = {
  name: 'rfb',
  tcp: true,
  udp: false,
  ports: [5900, 5901, 5902, 5903],
  probe,
  // "RFB "
  firstBytes: bytesOf('R'),
  create: () => new RfbAnalyzer(),
};
