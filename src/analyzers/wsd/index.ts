// The WS-Discovery analyzer's registration (UDP 3702, found elsewhere by its probe). nDPI calls
// the protocol "WSD"; Zeek has no analyzer for it, so the service name is wardline's own.
import type { AnalyzerSpec } from '../types.js';
import { WsdAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

/** SOAP-over-UDP 1.1 §3.1 / WS-Discovery 1.1 §2.4: the discovery port (IANA "ws-discovery"). */
export const WSD_PORT = 3702;

export const WSD: AnalyzerSpec = {
  name: 'wsd',
  tcp: false,
  udp: true,
  ports: [WSD_PORT],
  probe,
  // an XML document: a UTF-8 byte order mark, white space, or <
  firstBytes: [0xef, 0x20, 0x09, 0x0a, 0x0d, 0x3c],
  create: () => new WsdAnalyzer(),
};
