// Typed events of the SMTP analyzer.

/** One mail transaction (Zeek's SMTP::Info): emitted after the message's final reply, when a
 * new MAIL starts, or at connection end. Field names are smtp.log's. */
export interface SmtpTransaction {
  type: 'smtp.transaction';
  tsSec: number;
  tsNsec: number;
  trans_depth: number;
  helo?: string;
  mailfrom?: string;
  rcptto?: string[];
  date?: string;
  from?: string;
  to?: string[];
  cc?: string[];
  reply_to?: string;
  msg_id?: string;
  in_reply_to?: string;
  subject?: string;
  x_originating_ip?: string;
  first_received?: string;
  second_received?: string;
  last_reply?: string;
  path: string[];
  user_agent?: string;
  /** The fuids of the message's MIME entities in files.log (Zeek's smtp.log fuids). */
  fuids?: string[];
  tls: boolean;
  /** SASL user of the session, if it authenticated. */
  user?: string;
  /** True when a password or token was sent readable (its value is never kept). */
  password_sent: boolean;
  [k: string]: unknown;
}

/** STARTTLS accepted (RFC 3207): the rest of the connection is TLS. */
export interface SmtpStartTls {
  type: 'smtp.starttls';
  [k: string]: unknown;
}

/** The outcome of an AUTH exchange (RFC 4954). */
export interface SmtpAuth {
  type: 'smtp.auth';
  mechanism: string;
  user: string;
  success: boolean;
  [k: string]: unknown;
}
