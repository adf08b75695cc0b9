// hsrp.log: one line per HSRP group message (Zeek parses none; the fields are RFC 2281's names):
// the router and its MAC, version, opcode, state, group, priority, timers, virtual address, and
// how it authenticates ("text" is the password in clear, shown only as <redacted>).
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import type { HsrpEvent } from './events.js';

const hsrpLog: LogMapper = (e, c, m) => {
  const ev = e as HsrpEvent;
  if (c === null) return null;
  const rec = connHeader(c, m.tsSec, m.tsNsec);
  rec.router = ev.router;
  rec.mac_src = ev.mac_src;
  rec.version = ev.version;
  rec.opcode = ev.opcode;
  rec.state = ev.state;
  rec.group = ev.group;
  rec.priority = ev.priority;
  rec.hello_time = ev.hello_time;
  rec.hold_time = ev.hold_time;
  rec.virtual_ip = ev.virtual_ip;
  putSet(rec, { identifier: ev.identifier });
  rec.auth = ev.auth;
  if (ev.auth === 'text') rec.password = '<redacted>';
  if (ev.auth_is_default === true) rec.auth_is_default = true;
  rec.packet = ev.packet;
  return { log: 'hsrp', record: rec };
};

export const HSRP_LOGS: Record<string, LogMapper> = { 'hsrp.message': hsrpLog };
