// The STUN/TURN analyzer's registration: UDP and TCP 3478 (STUN and TURN) and any port where
// the first payload is a STUN message with the magic cookie (ICE checks between WebRTC peers,
// VoIP phones and video endpoints use random ports). Named `stun` in conn.log.
import type { AnalyzerSpec } from '../types.js';
import { StunAnalyzer } from './analyzer.js';
import { STUN_PORT } from './parse.js';
import { probe } from './probe.js';

export const STUN: AnalyzerSpec = {
  name: 'stun',
  tcp: true,
  udp: true,
  ports: [STUN_PORT],
  probe,
  // the message type's first byte: two zero bits
  firstBytes: Array.from({ length: 64 }, (_, b) => b),
  create: () => new StunAnalyzer(),
};
