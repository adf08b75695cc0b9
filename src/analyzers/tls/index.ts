// The TLS/DTLS analyzer's registration. Zeek's ssl_ports (base/protocols/ssl/main.zeek) plus
// HTTPS alternates and DICOM over TLS (2762), a hospital staple. Over UDP the service is "dtls".
import type { AnalyzerSpec } from '../types.js';
import { TlsAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TLS: AnalyzerSpec = {
  name: 'ssl',
  tcp: true,
  udp: true,
  ports: [443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 995, 2762, 4433, 5223, 5684, 8443],
  probe,
  create: () => new TlsAnalyzer(),
};

export { TlsAnalyzer } from './analyzer.js';
