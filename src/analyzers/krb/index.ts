// The Kerberos analyzer's registration: UDP and TCP port 88 (conn.log: krb / krb_tcp, as Zeek
// names them). Kerberos inside GSS-API tokens (SMB, LDAP, HTTP) reaches KrbSession through the
// NTLM/GSS carrier code.
import type { AnalyzerSpec } from '../types.js';
import { KrbAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const KRB: AnalyzerSpec = {
  name: 'krb',
  tcp: true,
  udp: true,
  ports: [88],
  probe,
  create: () => new KrbAnalyzer(),
};
