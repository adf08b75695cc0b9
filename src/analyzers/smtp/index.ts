// The SMTP analyzer's registration (Zeek's ports 25 and 587).
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { SmtpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SMTP: AnalyzerSpec = {
  name: 'smtp',
  tcp: true,
  udp: false,
  ports: [25, 587, 2525],
  probe,
  // EHLO/HELO, or the 220 greeting
  firstBytes: bytesOf('EeHh2'),
  create: () => new SmtpAnalyzer(),
};
