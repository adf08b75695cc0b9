// mysql.log with Zeek's field names (base/protocols/mysql).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

export const MYSQL_LOGS: Record<string, LogMapper> = {
  'mysql.command': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    rec.cmd = ev.cmd;
    rec.arg = ev.arg;
    for (const k of ['success', 'rows', 'response'] as const) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'mysql', record: rec };
  },
};
