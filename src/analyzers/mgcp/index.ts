// The MGCP analyzer's registration: UDP 2427 (gateways) and 2727 (call agents), RFC 3435 §3.6, or
// any UDP port by a whole command line. Named `mgcp` in conn.log.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { MgcpAnalyzer } from './analyzer.js';
import { MGCP_CALL_AGENT_PORT, MGCP_GATEWAY_PORT, VERB_FIRST_LETTERS } from './parse.js';
import { probe } from './probe.js';

export const MGCP: AnalyzerSpec = {
  name: 'mgcp',
  tcp: false,
  udp: true,
  ports: [MGCP_GATEWAY_PORT, MGCP_CALL_AGENT_PORT],
  probe,
  // The first letter of a verb (EPCF CRCX MDCX DLCX RQNT NTFY AUEP AUCX RSIP MESG, X…), either
  // case, or a response code's first digit.
  firstBytes: bytesOf(VERB_FIRST_LETTERS + VERB_FIRST_LETTERS.toLowerCase() + '0123456789'),
  create: () => new MgcpAnalyzer(),
};
