// The IMAP analyzer's registration.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { ImapAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const IMAP: AnalyzerSpec = {
  name: 'imap',
  tcp: true,
  udp: false,
  ports: [143],
  probe,
  // a tag, or the * greeting
  firstBytes: bytesOf('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.*'),
  create: () => new ImapAnalyzer(),
};
