// imap.log, wardline's own (Zeek has no IMAP log): one line per session with the
// greeting, the login user, how it authenticated, whether it succeeded, and whether STARTTLS
// switched the session to TLS. `password` is "<redacted>" whenever one crossed in clear.
import type { LogMapper } from '../logs.js';
import { mailSessionRecord } from '../mailsession.js';
import type { ImapSession } from './events.js';

export const IMAP_LOGS: Record<string, LogMapper> = {
  'imap.session': (e, c) => (c === null ? null : { log: 'imap', record: mailSessionRecord(e as ImapSession, c) }),
};
