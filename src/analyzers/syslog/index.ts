// The syslog analyzer's registration: UDP and TCP 514 (RFC 5426, RFC 6587). conn.log names
// it `syslog` over UDP and `syslog_tcp` over TCP, as Zeek's two analyzers do.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { SyslogAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SYSLOG: AnalyzerSpec = {
  name: 'syslog',
  tcp: true,
  udp: true,
  ports: [514],
  probe,
  // <PRI>, or the message length of RFC 6587 octet counting
  firstBytes: bytesOf('<0123456789'),
  create: () => new SyslogAnalyzer(),
};
