// Typed events of the OpenVPN analyzer.
export interface OpenvpnSession {
  type: 'openvpn.session';
  tsSec: number;
  tsNsec: number;
  /** tls (plain TLS mode), tls-auth, tls-crypt or tls-crypt-v2; absent when no reset was seen. */
  mode?: string;
  /** tls-auth's digest, from the HMAC's size (MD5, SHA1, SHA256, SHA512). */
  hmac?: string;
  client_resets: number;
  server_resets: number;
  control_packets: number;
  data_packets: number;
  /** Data packets went both ways: the tunnel carried traffic. */
  established: boolean;
  packet: number;
  [k: string]: unknown;
}
