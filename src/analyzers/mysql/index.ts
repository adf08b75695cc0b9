// The MySQL analyzer's registration: TCP 3306 and any port where a server greets in MySQL's
// Initial Handshake format (MariaDB included).
import type { AnalyzerSpec } from '../types.js';
import { MysqlAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const MYSQL: AnalyzerSpec = {
  name: 'mysql',
  tcp: true,
  udp: false,
  ports: [3306],
  probe,
  create: () => new MysqlAnalyzer(),
};
