// Typed events of the TDS (Microsoft SQL Server) analyzer.

/**
 * One login attempt, logged as an mssql.log line: what PRELOGIN negotiated, the LOGIN7's names
 * (when it crossed in clear) and the server's answer (LOGINACK or ERROR).
 */
export interface MssqlLoginEvent {
  type: 'mssql.login';
  tsSec: number;
  tsNsec: number;
  packet: number;
  username?: string;
  client_name?: string;
  app_name?: string;
  library?: string;
  server_name?: string;
  database?: string;
  language?: string;
  tds_version?: string;
  /** Windows (SSPI) authentication instead of a SQL Server password. */
  integrated_auth?: boolean;
  /** REDACTED when a SQL Server password crossed the wire readable; never the value. */
  password?: string;
  /** The client's and the server's PRELOGIN ENCRYPTION answers, and what they agree to. */
  client_encryption?: string;
  encryption?: string;
  /** The LOGIN7 travelled inside TLS (negotiated encryption). */
  login_encrypted?: boolean;
  /** The whole session is encrypted (both sides negotiated encryption), not the login alone. */
  session_encrypted?: boolean;
  instance?: string;
  server_version?: string;
  success?: boolean;
  error_number?: number;
  error?: string;
  [k: string]: unknown;
}
