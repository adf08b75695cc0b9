// The IRC analyzer's registration: TCP 6660–6669 and 7000 (Zeek's irc ports; 6697 is IRC over
// TLS) and any TCP port where a client registers or a server greets the IRC way — botnets run
// their channels on whatever port gets out. Named `irc`, as in Zeek.
import type { AnalyzerSpec } from '../types.js';
import { IrcAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const IRC: AnalyzerSpec = {
  name: 'irc',
  tcp: true,
  udp: false,
  ports: [6660, 6661, 6662, 6663, 6664, 6665, 6666, 6667, 6668, 6669, 7000],
  probe,
  // N(ICK), U(SER), P(ASS), C(AP), S(ERVICE), either case; ':' of a server's prefix
  firstBytes: [0x4e, 0x55, 0x50, 0x43, 0x53, 0x6e, 0x75, 0x70, 0x63, 0x73, 0x3a],
  create: () => new IrcAnalyzer(),
};
