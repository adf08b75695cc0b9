// The SMB analyzer's registration: SMB1 and SMB2/3 over NBSS (139) and direct TCP (445).
import type { AnalyzerSpec } from '../types.js';
import { SmbAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SMB: AnalyzerSpec = {
  name: 'smb',
  tcp: true,
  udp: false,
  ports: [139, 445],
  probe,
  create: () => new SmbAnalyzer(),
};
