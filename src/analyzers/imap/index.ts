// The IMAP analyzer's registration.
import type { AnalyzerSpec } from '../types.js';
import { ImapAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const IMAP: AnalyzerSpec = {
  name: 'imap',
  tcp: true,
  udp: false,
  ports: [143],
  probe,
  create: () => new ImapAnalyzer(),
};
