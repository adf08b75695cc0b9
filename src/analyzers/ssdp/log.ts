// ssdp.log: one line per SSDP datagram: ts uid id.* method server user_agent nt st usn location
// (+ nts, status_code, man, mx).
import type { LogMapper } from '../logs.js';
import { connFields, putSet } from '../connid.js';
import type { SsdpEvent } from './events.js';

const ssdpLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as SsdpEvent;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  putSet(rec, {
    method: ev.method,
    status_code: ev.status_code,
    server: ev.server,
    user_agent: ev.user_agent,
    nt: ev.nt,
    nts: ev.nts,
    st: ev.st,
    usn: ev.usn,
    location: ev.location,
    man: ev.man,
    mx: ev.mx,
  });
  return { log: 'ssdp', record: rec };
};

export const SSDP_LOGS: Record<string, LogMapper> = { 'ssdp.message': ssdpLog };
