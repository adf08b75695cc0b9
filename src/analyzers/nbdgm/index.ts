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
  create: () => new NbDatagramAnalyzer(),
};
