// The DNP3 analyzer's registration: TCP and UDP port 20000 (IEEE 1815 Annex C), found on other
// ports by its probe. conn.log services "dnp3_tcp" and "dnp3_udp", Zeek's analyzer names.
import type { AnalyzerSpec } from '../types.js';
import { START_1 } from './parse.js';
import { Dnp3Analyzer } from './analyzer.js';
import { probe } from './probe.js';

export const DNP3_PORT = 20000;

export const DNP3_TCP: AnalyzerSpec = {
  name: 'dnp3_tcp',
  tcp: true,
  udp: false,
  ports: [DNP3_PORT],
  probe,
  // the link header's start octets 0x05 0x64
  firstBytes: [START_1],
  create: () => new Dnp3Analyzer('dnp3_tcp'),
};

export const DNP3_UDP: AnalyzerSpec = {
  name: 'dnp3_udp',
  tcp: false,
  udp: true,
  ports: [DNP3_PORT],
  probe,
  // the link header's start octets 0x05 0x64
  firstBytes: [START_1],
  create: () => new Dnp3Analyzer('dnp3_udp'),
};
