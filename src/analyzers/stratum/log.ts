// stratum.log: one line per mining connection (wardline's own log; Zeek has none): the dialect,
// miner software, wallet/worker login, whether a password was sent (never its value), the pool
// host the miner names, the methods seen and the work done (jobs handed out, shares submitted,
// accepted and rejected by the pool).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';

export const STRATUM_LOGS: Record<string, LogMapper> = {
  'stratum.session': (ev, c) => {
    if (c === null) return null;
    // Dated by the message that showed mining, as Zeek dates a session log by its start.
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    r.dialect = ev.dialect;
    if (ev.agent !== '') r.agent = ev.agent;
    if (ev.user !== '') r.user = ev.user;
    if (ev.password === true) r.password = REDACTED;
    if (ev.pool_host !== '') r.pool_host = ev.pool_host;
    if (Array.isArray(ev.algos) && ev.algos.length > 0) r.algos = ev.algos;
    r.methods = ev.methods;
    if (ev.authorized !== null) r.authorized = ev.authorized;
    r.jobs = ev.jobs;
    r.shares = ev.shares;
    r.accepted = ev.accepted;
    r.rejected = ev.rejected;
    if (ev.midstream === true) r.midstream = true;
    return { log: 'stratum', record: r };
  },
};
