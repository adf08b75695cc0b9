// pop3.log, wardline's own (Zeek has a POP3 analyzer but no log): one line per session with the
// greeting, the login user, how it authenticated, whether it succeeded, and whether STLS
// switched the session to TLS. `password` is "<redacted>" whenever one crossed in clear.
import type { LogMapper } from '../logs.js';
import { mailSessionRecord } from '../mailsession.js';
import type { Pop3Session } from './events.js';

export const POP3_LOGS: Record<string, LogMapper> = {
  'pop3.session': (e, c) => (c === null ? null : { log: 'pop3', record: mailSessionRecord(e as Pop3Session, c) }),
};
