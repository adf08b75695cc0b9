// template.log: one line per HELLO (the equivalent of a Zeek protocol script). Every
// per-connection log starts with connHeader's fields (ts, uid, id.*), then its own.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

export const TEMPLATE_LOGS: Record<string, LogMapper> = {
  'template.hello': (ev, c, m) => {
    if (c === null) return null;
    const r = connHeader(c, m.tsSec, m.tsNsec);
    r.name = ev.name;
    return { log: 'template', record: r };
  },
};
