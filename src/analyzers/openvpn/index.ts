// The OpenVPN analyzer's registration: UDP and TCP 1194 (IANA's openvpn), or any port by a
// client's hard reset. Zeek's core has no OpenVPN analyzer (its plugin names the service
// spicy_openvpn_udp/_tcp); the service is "openvpn" here, nDPI's name.
import type { AnalyzerSpec } from '../types.js';
import { OpenvpnAnalyzer } from './analyzer.js';
import { OP_HARD_RESET_CLIENT_V1, OP_HARD_RESET_CLIENT_V2, OP_HARD_RESET_CLIENT_V3, OP_HARD_RESET_SERVER_V1, OP_HARD_RESET_SERVER_V2 } from './parse.js';
import { probe } from './probe.js';

export const OPENVPN: AnalyzerSpec = {
  name: 'openvpn',
  tcp: true,
  udp: true,
  ports: [1194],
  probe,
  // UDP: a hard reset with key id 0; TCP: the high byte of its length (a reset is under 1,536 bytes)
  firstBytes: [0, 1, 2, 3, 4, 5, ...[OP_HARD_RESET_CLIENT_V1, OP_HARD_RESET_SERVER_V1, OP_HARD_RESET_CLIENT_V2, OP_HARD_RESET_SERVER_V2, OP_HARD_RESET_CLIENT_V3].map((op) => op << 3)],
  // tls-crypt hides all but a packet id and a time: the client's and the server's resets are
  // each only a "maybe", both together recognition.
  pairedMaybe: true,
  create: () => new OpenvpnAnalyzer(),
};
