// The PostgreSQL analyzer's registration: TCP 5432 and any port where a client opens with a
// StartupMessage (protocol 3.0), SSLRequest, GSSENCRequest or CancelRequest.
import type { AnalyzerSpec } from '../types.js';
import { PostgresqlAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const POSTGRESQL: AnalyzerSpec = {
  name: 'postgresql',
  tcp: true,
  udp: false,
  ports: [5432],
  probe,
  // the high byte of the big-endian startup length (below 10,000)
  firstBytes: [0],
  create: () => new PostgresqlAnalyzer(),
};
