// Typed events of the TLS/DTLS analyzer. They carry facts (versions, cipher suites, fingerprints,
// certificate fields); the risk layer decides what is weak (see names.ts cipherTraits()).
import type { X509Info } from './x509.js';

/** A ClientHello (TLS, DTLS, or an SSLv2-compatible CLIENT-HELLO). */
export interface SslClientHello {
  type: 'ssl.client_hello';
  dtls: boolean;
  sslv2: boolean;
  /** Record layer version (0x0002 for an SSLv2 record). */
  record_version: number;
  /** Handshake client_version. */
  version: number;
  supported_versions: number[];
  ciphers: number[];
  compression: number[];
  /** Extension types in the order sent. */
  extensions: number[];
  server_name?: string;
  alpn: string[];
  groups: number[];
  point_formats: number[];
  sig_algs: number[];
  ja3?: string;
  ja3_string?: string;
  ja4?: string;
  ja4_r?: string;
  packet: number;
  [k: string]: unknown;
}

export interface SslServerHello {
  type: 'ssl.server_hello';
  dtls: boolean;
  sslv2: boolean;
  hello_retry: boolean;
  /** Negotiated version (supported_versions when present) and its Zeek name. */
  version: number;
  version_name: string;
  /** The ServerHello's legacy_version field. */
  legacy_version: number;
  cipher: number;
  cipher_name: string;
  compression: number;
  extensions: number[];
  next_protocol?: string;
  ja3s?: string;
  ja3s_string?: string;
  packet: number;
  [k: string]: unknown;
}

/** One certificate of a chain (TLS ≤ 1.2 and SSLv2; TLS 1.3 sends them encrypted). */
export interface SslCertificate {
  type: 'ssl.certificate';
  is_orig: boolean;
  /** Position in the chain (0 = the peer's own certificate). */
  index: number;
  host_cert: boolean;
  client_cert: boolean;
  /** The server's address, for per-host de-duplication as Zeek's x509.log does. */
  server: string;
  cert: X509Info;
  /** Network time is past not_valid_after / before not_valid_before. */
  expired: boolean;
  not_yet_valid: boolean;
  /** Subject equals issuer. */
  self_signed: boolean;
  packet: number;
  [k: string]: unknown;
}

/** A heartbeat record (RFC 6520). `heartbleed`: a cleartext request claiming more payload than it carries. */
export interface SslHeartbeat {
  type: 'ssl.heartbeat';
  is_orig: boolean;
  encrypted: boolean;
  record_length: number;
  heartbeat_type?: number;
  payload_length?: number;
  heartbleed: boolean;
  packet: number;
  [k: string]: unknown;
}

export interface SslAlert {
  type: 'ssl.alert';
  is_orig: boolean;
  level: number;
  description: string;
  packet: number;
  [k: string]: unknown;
}

/** The connection's summary, as Zeek logs it to ssl.log (at establishment or at the end). */
export interface SslSession {
  type: 'ssl.session';
  ts_sec: number;
  ts_nsec: number;
  dtls: boolean;
  version_num?: number;
  version?: string;
  cipher?: string;
  curve?: string;
  server_name?: string;
  resumed: boolean;
  last_alert?: string;
  next_protocol?: string;
  established: boolean;
  ssl_history: string;
  cert_chain_fps?: string[];
  client_cert_chain_fps?: string[];
  subject?: string;
  issuer?: string;
  client_subject?: string;
  client_issuer?: string;
  sni_matches_cert?: boolean;
  validation_status?: string;
  ja3?: string;
  ja3s?: string;
  ja4?: string;
  ja4_r?: string;
  packet: number;
  [k: string]: unknown;
}
