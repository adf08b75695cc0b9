// syslog.log (Zeek's base/protocols/syslog/main.zeek): one line per message with Zeek's fields,
// plus wardline's `hostname` and `app_name` read from the message header when present.
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { SyslogMessageEvent } from './events.js';
import { facilityName, severityName } from './parse.js';

const syslogMessage: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as SyslogMessageEvent;
  const r: Record<string, unknown> = {
    ts: Number(formatTime(m.tsSec, m.tsNsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
    proto: ev.proto,
    facility: facilityName(ev.facility),
    severity: severityName(ev.severity),
    message: ev.message,
  };
  if (ev.hostname !== undefined) r.hostname = ev.hostname;
  if (ev.app_name !== undefined) r.app_name = ev.app_name;
  return { log: 'syslog', record: r };
};

export const SYSLOG_LOGS: Record<string, LogMapper> = { 'syslog.message': syslogMessage };
