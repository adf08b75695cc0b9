// rsync.log: one line per rsync daemon connection (wardline's own log; Zeek has none): both
// protocol versions, the checksums the daemon offered, its message of the day, the module asked
// for (or the list and the modules it named), whether a password was required and the user
// that answered (never the response), the outcome, and the direction and paths of a transfer.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const OPTIONAL = ['server_version', 'client_version', 'motd', 'module', 'user', 'result', 'error', 'direction'] as const;

export const RSYNC_LOGS: Record<string, LogMapper> = {
  'rsync.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const f of OPTIONAL) if (ev[f] !== null && ev[f] !== undefined) r[f] = ev[f];
    if ((ev.checksums as string[]).length > 0) r.checksums = ev.checksums;
    r.listing = ev.listing;
    if ((ev.modules as string[]).length > 0) r.modules = ev.modules;
    r.auth_required = ev.auth_required;
    if ((ev.paths as string[]).length > 0) r.paths = ev.paths;
    return { log: 'rsync', record: r };
  },
};
