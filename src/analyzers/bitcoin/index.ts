// Bitcoin's peer-to-peer protocol: TCP 8333 (main network; 18333/48333 test networks, 18444
// regtest, 38333 signet), or any port by its network magic and command.
import type { AnalyzerSpec } from '../types.js';
import { BitcoinAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const BITCOIN: AnalyzerSpec = {
  name: 'bitcoin',
  tcp: true,
  udp: false,
  ports: [8333, 18333, 48333, 18444, 38333],
  probe,
  firstBytes: [0xf9, 0x0b, 0x1c, 0xfa, 0x0a],
  create: () => new BitcoinAnalyzer(),
};
