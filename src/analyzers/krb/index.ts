// The Kerberos analyzer's registration: UDP and TCP port 88 (conn.log: krb / krb_tcp, as Zeek
// names them). Kerberos inside GSS-API tokens (SMB, LDAP, HTTP) reaches KrbSession through the
// NTLM/GSS carrier code.
import type { AnalyzerSpec } from '../types.js';
import { isKrbTag } from './parse.js';
import { KrbAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const KRB: AnalyzerSpec = {
  name: 'krb',
  tcp: true,
  udp: true,
  ports: [88],
  probe,
  // a TCP record length's high byte (below 1 MiB), or a message's application tag (UDP)
  firstBytes: [0, ...Array.from({ length: 256 }, (_, b) => b).filter(isKrbTag)],
  create: () => new KrbAnalyzer(),
};
