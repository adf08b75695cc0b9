// The Redis analyzer's registration: TCP 6379, or any port by a client's command array naming a
// Redis command.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { RedisAnalyzer } from './analyzer.js';
import { REDIS_PORT } from './parse.js';
import { FIRST_BYTES, probe } from './probe.js';

export const REDIS: AnalyzerSpec = {
  name: 'redis',
  tcp: true,
  udp: false,
  ports: [REDIS_PORT],
  probe,
  firstBytes: bytesOf(FIRST_BYTES),
  create: () => new RedisAnalyzer(),
};
