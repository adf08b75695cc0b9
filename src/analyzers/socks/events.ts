// Typed events of the SOCKS analyzer. The RFC 1929 password appears only as a keyed digest.

export interface SocksRequest {
  type: 'socks.request';
  version: number;
  command: number;
  request_host?: string;
  request_name?: string;
  request_p: number;
  packet: number;
  [k: string]: unknown;
}

export interface SocksLogin {
  type: 'socks.login';
  user: string;
  success: boolean;
  packet: number;
  [k: string]: unknown;
}

export interface SocksCredential {
  type: 'socks.credential';
  server: string;
  server_p: number;
  client: string;
  user: string;
  /** secretDigest(password), never logged. */
  secret: string;
  packet: number;
  [k: string]: unknown;
}

/** The connection's SOCKS handshake, at its end: one socks.log line. */
export interface SocksSession {
  type: 'socks.session';
  tsSec: number;
  tsNsec: number;
  version: number;
  user?: string;
  password_sent: boolean;
  auth_method?: string;
  status?: string;
  request_host?: string;
  request_name?: string;
  request_p?: number;
  bound_host?: string;
  bound_name?: string;
  bound_p?: number;
  [k: string]: unknown;
}
