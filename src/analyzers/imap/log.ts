// imap.log, wardline's own (Zeek has no IMAP log): one line per session with the
// greeting, the login user, how it authenticated, whether it succeeded, and whether STARTTLS
// switched the session to TLS. `password` is "<redacted>" whenever one crossed in clear.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { ImapSession } from './events.js';

export const IMAP_LOGS: Record<string, LogMapper> = {
  'imap.session': (e, c) => {
    if (c === null) return null;
    const ev = e as ImapSession;
    const r: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    if (ev.banner !== undefined) r.banner = ev.banner;
    if (ev.user !== undefined) r.user = ev.user;
    if (ev.password_sent) r.password = REDACTED;
    if (ev.auth_method !== undefined) r.auth_method = ev.auth_method;
    if (ev.success !== undefined) r.success = ev.success;
    r.auth_attempts = ev.auth_attempts;
    r.tls = ev.tls;
    return { log: 'imap', record: r };
  },
};
