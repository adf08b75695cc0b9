// syslog.log (Zeek's base/protocols/syslog/main.zeek): one line per message with Zeek's fields,
// plus wardline's `hostname` and `app_name` read from the message header when present.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { SyslogMessageEvent } from './events.js';
import { facilityName, severityName } from './parse.js';

const syslogMessage: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as SyslogMessageEvent;
  const r = connHeader(c, m.tsSec, m.tsNsec);
  r.proto = ev.proto;
  r.facility = facilityName(ev.facility);
  r.severity = severityName(ev.severity);
  r.message = ev.message;
  if (ev.hostname !== undefined) r.hostname = ev.hostname;
  if (ev.app_name !== undefined) r.app_name = ev.app_name;
  return { log: 'syslog', record: r };
};

export const SYSLOG_LOGS: Record<string, LogMapper> = { 'syslog.message': syslogMessage };
