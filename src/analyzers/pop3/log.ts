// pop3.log, wardline's own (Zeek has a POP3 analyzer but no log): one line per session with the
// greeting, the login user, how it authenticated, whether it succeeded, and whether STLS
// switched the session to TLS. `password` is "<redacted>" whenever one crossed in clear.
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { Pop3Session } from './events.js';
import { connHeader } from '../connid.js';

export const POP3_LOGS: Record<string, LogMapper> = {
  'pop3.session': (e, c) => {
    if (c === null) return null;
    const ev = e as Pop3Session;
    const r: Record<string, unknown> = connHeader(c, ev.tsSec, ev.tsNsec);
    if (ev.banner !== undefined) r.banner = ev.banner;
    if (ev.user !== undefined) r.user = ev.user;
    if (ev.password_sent) r.password = REDACTED;
    if (ev.auth_method !== undefined) r.auth_method = ev.auth_method;
    if (ev.success !== undefined) r.success = ev.success;
    r.auth_attempts = ev.auth_attempts;
    r.tls = ev.tls;
    return { log: 'pop3', record: r };
  },
};
