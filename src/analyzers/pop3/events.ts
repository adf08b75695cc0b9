// Typed events of the POP3 analyzer.
import type { MailSessionFields } from '../mailsession.js';

/** One POP3 session's login story: one pop3.log line, at STLS or connection end. */
export interface Pop3Session extends MailSessionFields {
  type: 'pop3.session';
  [k: string]: unknown;
}

/** STLS accepted (RFC 2595 §4): the rest of the connection is TLS. */
export interface Pop3StartTls {
  type: 'pop3.starttls';
  [k: string]: unknown;
}
