// Typed events of the IMAP analyzer.

/** One IMAP session's login story: one imap.log line, at STARTTLS or connection end. */
export interface ImapSession {
  type: 'imap.session';
  tsSec: number;
  tsNsec: number;
  banner?: string;
  user?: string;
  /** True when a password or token crossed readable (LOGIN, AUTHENTICATE PLAIN/LOGIN …). */
  password_sent: boolean;
  /** "LOGIN" or the SASL mechanism of AUTHENTICATE. */
  auth_method?: string;
  success?: boolean;
  auth_attempts: number;
  tls: boolean;
  [k: string]: unknown;
}

/** STARTTLS accepted (RFC 9051 §6.2.1): the rest of the connection is TLS. */
export interface ImapStartTls {
  type: 'imap.starttls';
  [k: string]: unknown;
}
