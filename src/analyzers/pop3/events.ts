// Typed events of the POP3 analyzer.

/** One POP3 session's login story: one pop3.log line, at STLS or connection end. */
export interface Pop3Session {
  type: 'pop3.session';
  tsSec: number;
  tsNsec: number;
  banner?: string;
  user?: string;
  /** True when a password or token crossed readable (USER/PASS, AUTH PLAIN/LOGIN). */
  password_sent: boolean;
  /** "USER" (USER/PASS), "APOP", or the SASL mechanism. */
  auth_method?: string;
  success?: boolean;
  auth_attempts: number;
  tls: boolean;
  [k: string]: unknown;
}

/** STLS accepted (RFC 2595 §4): the rest of the connection is TLS. */
export interface Pop3StartTls {
  type: 'pop3.starttls';
  [k: string]: unknown;
}
