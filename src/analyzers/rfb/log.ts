// rfb.log with Zeek's fields (base/protocols/rfb/main.zeek), written at ServerInit or when the
// connection ends. wardline adds `failure_reason` when the server sent one.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { RfbSession } from './events.js';

const FIELDS = [
  'client_major_version',
  'client_minor_version',
  'server_major_version',
  'server_minor_version',
  'authentication_method',
  'auth',
  'share_flag',
  'desktop_name',
  'width',
  'height',
  'failure_reason',
] as const;

export const RFB_LOGS: Record<string, LogMapper> = {
  'rfb.session': (e, c) => {
    if (c === null) return null;
    const ev = e as RfbSession;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'rfb', record: rec };
  },
};
