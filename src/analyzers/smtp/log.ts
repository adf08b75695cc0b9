// smtp.log in Zeek's field order (base/protocols/smtp/main.zeek) from smtp.transaction events.
// Wardline extras: `user` (the session's AUTH user) and `password` ("<redacted>" when a password
// or token crossed in clear). `fuids`: the message's files in files.log.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { SmtpTransaction } from './events.js';

const FIELDS = ['helo', 'mailfrom', 'rcptto', 'date', 'from', 'to', 'cc', 'reply_to', 'msg_id', 'in_reply_to', 'subject', 'x_originating_ip', 'first_received', 'second_received', 'last_reply', 'path', 'user_agent', 'tls', 'fuids'] as const;

export const SMTP_LOGS: Record<string, LogMapper> = {
  'smtp.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as SmtpTransaction;
    const r = connHeader(c, ev.tsSec, ev.tsNsec);
    r.trans_depth = ev.trans_depth;
    for (const k of FIELDS) if (ev[k] !== undefined) r[k] = ev[k];
    if (ev.user !== undefined) r.user = ev.user;
    if (ev.password_sent) r.password = REDACTED;
    return { log: 'smtp', record: r };
  },
};
