// The FTP control-connection analyzer's registration (Zeek's ports 21 and 2811).
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { FtpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const FTP: AnalyzerSpec = {
  name: 'ftp',
  tcp: true,
  udp: false,
  ports: [21, 2811],
  probe,
  // a command, or the 220 greeting
  firstBytes: bytesOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz2'),
  create: () => new FtpAnalyzer(),
};
