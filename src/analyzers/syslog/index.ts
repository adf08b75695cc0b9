// The syslog analyzer's registration: UDP and TCP 514 (RFC 5426, RFC 6587). conn.log names
// it `syslog` over UDP and `syslog_tcp` over TCP, as Zeek's two analyzers do.
import type { AnalyzerSpec } from '../types.js';
import { SyslogAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SYSLOG: AnalyzerSpec = {
  name: 'syslog',
  tcp: true,
  udp: true,
  ports: [514],
  probe,
  create: () => new SyslogAnalyzer(),
};
