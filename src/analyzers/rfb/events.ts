// Typed events of the RFB analyzer. Challenges and responses are never kept.

/** The handshake as Zeek's rfb.log has it, plus what the server offered. */
export interface RfbSession {
  type: 'rfb.session';
  tsSec: number;
  tsNsec: number;
  client_major_version?: string;
  client_minor_version?: string;
  server_major_version?: string;
  server_minor_version?: string;
  authentication_method?: string;
  security_type?: number;
  offered_security_types?: number[];
  auth?: boolean;
  failure_reason?: string;
  share_flag?: boolean;
  desktop_name?: string;
  width?: number;
  height?: number;
  [k: string]: unknown;
}

/** The server's SecurityResult. */
export interface RfbAuth {
  type: 'rfb.auth';
  method?: string;
  success: boolean;
  packet: number;
  [k: string]: unknown;
}
