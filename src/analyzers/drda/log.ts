// drda.log: one line per DRDA connection (Db2, Derby; wardline's own log, Zeek has none): who the
// client and server say they are (external name, host, product release level, class), the
// database, the security mechanism, the user and whether a password crossed in clear (only
// `<redacted>`), the login's outcome, the commands seen and how many SQL statements (never their
// text).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';

const TEXT = ['client_name', 'client_host', 'client_product', 'client_class', 'server_name', 'server_host', 'server_product', 'server_class', 'database', 'security_mechanism', 'user'] as const;

export const DRDA_LOGS: Record<string, LogMapper> = {
  'drda.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const f of TEXT) if (typeof ev[f] === 'string' && ev[f] !== '') r[f] = ev[f];
    if (ev.password === true) r.password = REDACTED;
    if (ev.login !== '') r.login = ev.login;
    r.commands = ev.commands;
    r.sql_statements = ev.sql_statements;
    return { log: 'drda', record: r };
  },
};
