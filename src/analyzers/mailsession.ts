// The login story of a mail-retrieval session, the same for IMAP and POP3: what imap.log and
// pop3.log hold (wardline's own logs; Zeek writes neither). `password` is "<redacted>" whenever
// one crossed in clear; the password itself never reaches the event.
import type { Conn } from '../flow/conn.js';
import { connHeader } from './connid.js';
import { REDACTED } from './secret.js';

export interface MailSessionFields {
  tsSec: number;
  tsNsec: number;
  banner?: string;
  user?: string;
  /** True when a password or token crossed readable (IMAP LOGIN, POP3 USER/PASS, SASL PLAIN/LOGIN …). */
  password_sent: boolean;
  /** "LOGIN", "USER", "APOP" or the SASL mechanism. */
  auth_method?: string;
  success?: boolean;
  auth_attempts: number;
  /** STARTTLS / STLS switched the session to TLS. */
  tls: boolean;
}

/** One log record for a session (written at the TLS switch or the connection's end). */
export function mailSessionRecord(ev: MailSessionFields, c: Conn): Record<string, unknown> {
  const r = connHeader(c, ev.tsSec, ev.tsNsec);
  if (ev.banner !== undefined) r.banner = ev.banner;
  if (ev.user !== undefined) r.user = ev.user;
  if (ev.password_sent) r.password = REDACTED;
  if (ev.auth_method !== undefined) r.auth_method = ev.auth_method;
  if (ev.success !== undefined) r.success = ev.success;
  r.auth_attempts = ev.auth_attempts;
  r.tls = ev.tls;
  return r;
}
