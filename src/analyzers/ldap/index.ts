// The LDAP analyzer's registration: TCP 389 and 3268 (global catalog), CLDAP on UDP 389.
// conn.log names it as Zeek does: ldap_tcp / ldap_udp.
import type { AnalyzerSpec } from '../types.js';
import { LdapAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const LDAP: AnalyzerSpec = {
  name: 'ldap_tcp',
  tcp: true,
  udp: true,
  ports: [389, 3268],
  probe,
  // a BER SEQUENCE (LDAPMessage)
  firstBytes: [0x30],
  create: () => new LdapAnalyzer(),
};
