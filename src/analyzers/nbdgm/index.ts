// The NetBIOS datagram analyzer's registration: UDP 138 (RFC 1002); conn.log names it by its
// IANA service name `netbios-dgm` (Zeek has no analyzer for it).
import type { AnalyzerSpec } from '../types.js';
import { NbDatagramAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const NBDGM: AnalyzerSpec = {
  name: 'netbios-dgm',
  tcp: false,
  udp: true,
  ports: [138],
  probe,
  // the datagram types (RFC 1002 §4.4.1)
  firstBytes: [0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16],
  create: () => new NbDatagramAnalyzer(),
};
