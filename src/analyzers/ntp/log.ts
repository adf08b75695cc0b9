// ntp.log (Zeek's base/protocols/ntp/main.zeek): one line per message of modes 1–5 (control
// and private messages are not logged, as in Zeek), with Zeek's field names.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { NtpMessageEvent } from './events.js';

const MAX_LOGGED_MODE = 5;
const STD_FIELDS = ['stratum', 'poll', 'precision', 'root_delay', 'root_disp', 'ref_id', 'ref_time', 'org_time', 'rec_time', 'xmt_time', 'num_exts'] as const;

const ntpMessage: LogMapper = (e, c, m) => {
  const ev = e as NtpMessageEvent;
  if (c === null || ev.mode > MAX_LOGGED_MODE) return null;
  const r: Record<string, unknown> = {
    ts: Number(formatTime(m.tsSec, m.tsNsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
    version: ev.version,
    mode: ev.mode,
  };
  for (const f of STD_FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'ntp', record: r };
};

export const NTP_LOGS: Record<string, LogMapper> = { 'ntp.message': ntpMessage };
