// DRDA: Db2 on TCP 50000 (446 on z/OS and i, 523 the admin server's), Apache Derby's network
// server on 1527; any port by its first request DSS (EXCSAT or ACCSEC).
import type { AnalyzerSpec } from '../types.js';
import { DrdaAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const DRDA: AnalyzerSpec = {
  name: 'drda',
  tcp: true,
  udp: false,
  ports: [50000, 446, 1527],
  probe,
  create: () => new DrdaAnalyzer(),
};
