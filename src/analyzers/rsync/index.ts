// The rsync daemon protocol: TCP 873, or any port by its "@RSYNCD: " greeting.
import type { AnalyzerSpec } from '../types.js';
import { RsyncAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RSYNC: AnalyzerSpec = {
  name: 'rsync',
  tcp: true,
  udp: false,
  ports: [873],
  probe,
  firstBytes: [0x40],
  create: () => new RsyncAnalyzer(),
};
