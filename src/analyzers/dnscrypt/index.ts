// The DNSCrypt analyzer's registration: UDP and TCP on any port (resolvers listen on 443, 5353,
// 8443 and others), found by the resolver magic of the first response. Service "dnscrypt", as
// nDPI names it. Over TCP the first byte is the high byte of the response's length: responses
// under 4 KiB, as DNS answers are, start with 0x00–0x0f.
import type { AnalyzerSpec } from '../types.js';
import { DnscryptAnalyzer } from './analyzer.js';
import { RESOLVER_MAGIC } from './parse.js';
import { probe } from './probe.js';

export const DNSCRYPT_UDP: AnalyzerSpec = {
  name: 'dnscrypt',
  tcp: false,
  udp: true,
  ports: [],
  probe,
  firstBytes: [RESOLVER_MAGIC[0]],
  create: () => new DnscryptAnalyzer(),
};

export const DNSCRYPT_TCP: AnalyzerSpec = {
  name: 'dnscrypt',
  tcp: true,
  udp: false,
  ports: [],
  probe,
  firstBytes: Array.from({ length: 16 }, (_, i) => i),
  create: () => new DnscryptAnalyzer(),
};
