// postgresql.log with Zeek's field names and order (base/protocols/postgresql/main.zeek Info).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['user', 'database', 'application_name', 'frontend', 'frontend_arg', 'backend', 'backend_arg', 'success', 'rows'] as const;

export const POSTGRESQL_LOGS: Record<string, LogMapper> = {
  'postgresql.record': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'postgresql', record: rec };
  },
};
