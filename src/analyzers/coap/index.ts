// The CoAP analyzer's registration: UDP 5683 (RFC 7252 §6.1), named `coap` in conn.log (wardline's
// own name; Zeek has no CoAP analyzer). 5684 is CoAP over DTLS: the TLS/DTLS analyzer's.
import type { AnalyzerSpec } from '../types.js';
import { CoapAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const COAP_PORT = 5683;

export const COAP: AnalyzerSpec = {
  name: 'coap',
  tcp: false,
  udp: true,
  ports: [COAP_PORT],
  probe,
  // version 1 in the top two bits (RFC 7252 §3)
  firstBytes: Array.from({ length: 64 }, (_, i) => 0x40 + i),
  create: () => new CoapAnalyzer(),
};
