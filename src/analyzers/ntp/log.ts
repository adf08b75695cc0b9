// ntp.log (Zeek's base/protocols/ntp/main.zeek): one line per message of modes 1–5 (control
// and private messages are not logged, as in Zeek), with Zeek's field names.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { NtpMessageEvent } from './events.js';

const MAX_LOGGED_MODE = 5;
const STD_FIELDS = ['stratum', 'poll', 'precision', 'root_delay', 'root_disp', 'ref_id', 'ref_time', 'org_time', 'rec_time', 'xmt_time', 'num_exts'] as const;

const ntpMessage: LogMapper = (e, c, m) => {
  const ev = e as NtpMessageEvent;
  if (c === null || ev.mode > MAX_LOGGED_MODE) return null;
  const r = connHeader(c, m.tsSec, m.tsNsec);
  r.version = ev.version;
  r.mode = ev.mode;
  for (const f of STD_FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'ntp', record: r };
};

export const NTP_LOGS: Record<string, LogMapper> = { 'ntp.message': ntpMessage };
