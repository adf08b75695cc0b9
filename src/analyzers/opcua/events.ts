// Typed events of the OPC UA analyzer.

/** One per connection, at its end: what the secure channel and session showed. */
export interface OpcuaSession {
  type: 'opcua.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Message types in the order first seen (HEL, ACK, OPN, MSG, CLO, ERR, RHE). */
  msg_types: string[];
  /** True when the originator is the server (reverse connect, §7.1.2.6). */
  server_is_orig: boolean;
  protocol_version?: number;
  endpoint_url?: string;
  security_policy_uri?: string;
  security_policy?: string;
  security_mode?: string;
  client_certificate?: boolean;
  server_certificate?: boolean;
  services?: string[];
  application_uri?: string;
  product_uri?: string;
  application_name?: string;
  application_type?: string;
  client_application_uri?: string;
  client_application_name?: string;
  session_name?: string;
  identity_token?: string;
  user?: string;
  /** A password was sent (its value is never kept). */
  password?: boolean;
  password_encrypted?: boolean;
  status?: string;
  error?: string;
  error_reason?: string;
  insecure?: boolean;
  [k: string]: unknown;
}
