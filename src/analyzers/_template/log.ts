// template.log: one line per HELLO (the equivalent of a Zeek protocol script).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

export const TEMPLATE_LOGS: Record<string, LogMapper> = {
  'template.hello': (ev, c, m) =>
    c === null
      ? null
      : {
          log: 'template',
          record: {
            ts: Number(formatTime(m.tsSec, m.tsNsec)),
            uid: connUid(c),
            'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
            'id.orig_p': c.oPort,
            'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
            'id.resp_p': c.rPort,
            name: ev.name,
          },
        },
};
