// The TDS (Microsoft SQL Server) analyzer's registration: TCP 1433 and any port where a client
// opens with a PRELOGIN or LOGIN7, or a server answers with a PRELOGIN table. The service name
// is "mssql" (Zeek's lower-case style; nDPI calls the protocol "MsSQL-TDS").
import type { AnalyzerSpec } from '../types.js';
import { CLIENT_TYPES, TYPE_RESPONSE } from './parse.js';
import { TdsAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TDS: AnalyzerSpec = {
  name: 'mssql',
  tcp: true,
  udp: false,
  ports: [1433],
  probe,
  // the TDS packet types (MS-TDS §2.2.3.1.1)
  firstBytes: [TYPE_RESPONSE, ...CLIENT_TYPES],
  create: () => new TdsAnalyzer(),
};
