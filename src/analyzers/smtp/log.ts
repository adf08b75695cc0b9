// smtp.log in Zeek's field order (base/protocols/smtp/main.zeek) from smtp.transaction events.
// Wardline extras: `user` (the session's AUTH user) and `password` ("<redacted>" when a password
// or token crossed in clear). `fuids` (Zeek's file analysis) is not produced.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { SmtpTransaction } from './events.js';

const FIELDS = ['helo', 'mailfrom', 'rcptto', 'date', 'from', 'to', 'cc', 'reply_to', 'msg_id', 'in_reply_to', 'subject', 'x_originating_ip', 'first_received', 'second_received', 'last_reply', 'path', 'user_agent', 'tls'] as const;

export const SMTP_LOGS: Record<string, LogMapper> = {
  'smtp.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as SmtpTransaction;
    const r: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
      trans_depth: ev.trans_depth,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) r[k] = ev[k];
    if (ev.user !== undefined) r.user = ev.user;
    if (ev.password_sent) r.password = REDACTED;
    return { log: 'smtp', record: r };
  },
};
