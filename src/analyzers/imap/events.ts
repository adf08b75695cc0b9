// Typed events of the IMAP analyzer.
import type { MailSessionFields } from '../mailsession.js';

/** One IMAP session's login story: one imap.log line, at STARTTLS or connection end. */
export interface ImapSession extends MailSessionFields {
  type: 'imap.session';
  [k: string]: unknown;
}

/** STARTTLS accepted (RFC 9051 §6.2.1): the rest of the connection is TLS. */
export interface ImapStartTls {
  type: 'imap.starttls';
  [k: string]: unknown;
}
