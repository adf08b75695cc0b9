// mysql.log with Zeek's field names (base/protocols/mysql).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

export const MYSQL_LOGS: Record<string, LogMapper> = {
  'mysql.command': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
      cmd: ev.cmd,
      arg: ev.arg,
    };
    for (const k of ['success', 'rows', 'response'] as const) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'mysql', record: rec };
  },
};
