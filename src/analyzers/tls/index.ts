// The TLS/DTLS analyzer's registration. Zeek's ssl_ports (base/protocols/ssl/main.zeek) plus
// HTTPS alternates and DICOM over TLS (2762), a hospital staple. Over UDP the service is "dtls".
import type { AnalyzerSpec } from '../types.js';
import { CT_CHANGE_CIPHER_SPEC, CT_HEARTBEAT } from './parse.js';
import { TlsAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const TLS: AnalyzerSpec = {
  name: 'ssl',
  tcp: true,
  udp: true,
  ports: [443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 995, 2762, 4433, 5223, 5684, 8443],
  probe,
  // a record's content type (TLS and DTLS), or the high bit of an SSLv2 hello's length
  firstBytes: Array.from({ length: 256 }, (_, b) => b).filter((b) => (b >= CT_CHANGE_CIPHER_SPEC && b <= CT_HEARTBEAT) || b >= 0x80),
  create: () => new TlsAnalyzer(),
};

/**
 * For protocols that switch to TLS in-band (SMTP/IMAP/POP3 STARTTLS, FTP AUTH TLS, LDAP StartTLS,
 * PostgreSQL/MySQL SSL requests, RDP): keep a `new TlsAnalyzer()` and pass it the bytes that follow
 * the switch; it confirms "ssl" itself, so conn.log reads e.g. "smtp,ssl" as in Zeek.
 */
export { TlsAnalyzer } from './analyzer.js';
