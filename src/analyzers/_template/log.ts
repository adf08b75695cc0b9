// template.log: one line per HELLO (the equivalent of a Zeek protocol script).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

export const TEMPLATE_LOGS: Record<string, LogMapper> = {
  'template.hello': (ev, c, m) =>
    c === null
      ? null
      : {
          log: 'template',
          record: {
            ...connHeader(c, m.tsSec, m.tsNsec),
            name: ev.name,
          },
        },
};
