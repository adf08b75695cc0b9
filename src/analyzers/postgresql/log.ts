// postgresql.log with Zeek's field names and order (base/protocols/postgresql/main.zeek Info).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['user', 'database', 'application_name', 'frontend', 'frontend_arg', 'backend', 'backend_arg', 'success', 'rows'] as const;

export const POSTGRESQL_LOGS: Record<string, LogMapper> = {
  'postgresql.record': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'postgresql', record: rec };
  },
};
