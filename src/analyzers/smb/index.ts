// The SMB analyzer's registration: SMB1 and SMB2/3 over NBSS (139) and direct TCP (445).
import type { AnalyzerSpec } from '../types.js';
import { NBSS_SESSION_MESSAGE, NBSS_SESSION_REQUEST } from './parse.js';
import { SmbAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SMB: AnalyzerSpec = {
  name: 'smb',
  tcp: true,
  udp: false,
  ports: [139, 445],
  probe,
  // the NBSS session message (SMB over 139 and 445) and session request
  firstBytes: [NBSS_SESSION_MESSAGE, NBSS_SESSION_REQUEST],
  create: () => new SmbAnalyzer(),
};
