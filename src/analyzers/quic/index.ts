// The QUIC analyzer's registration: UDP 443 (HTTP/3), 784 and 853 (DNS over QUIC), 4433/4434
// (interop test servers), and any port where the first datagram is a QUIC long header of a
// known version. Named `quic` in conn.log, as in Zeek; the TLS inside adds `ssl`.
import type { AnalyzerSpec } from '../types.js';
import { QuicAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const QUIC: AnalyzerSpec = {
  name: 'quic',
  tcp: false,
  udp: true,
  ports: [443, 784, 853, 4433, 4434],
  probe,
  // a long header's first byte, or gQUIC's public flags (version and 8-byte connection id set)
  firstBytes: Array.from({ length: 256 }, (_, b) => b).filter((b) => b >= 0x80 || (b < 0x40 && (b & 0x09) === 0x09)),
  create: () => new QuicAnalyzer(),
};
