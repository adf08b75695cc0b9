// radius.log: Zeek's fields (base/protocols/radius/main.zeek), one line per authentication
// exchange. Accounting and CoA/Disconnect messages are events only, as Zeek logs none of them.
// No password, hidden or not, is a field here.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { RadiusAuthEvent } from './events.js';

const radiusAuth: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as RadiusAuthEvent;
  const r = connHeader(c, ev.ts_sec, ev.ts_nsec);
  if (ev.username !== undefined) r.username = ev.username;
  if (ev.mac !== undefined) r.mac = ev.mac;
  if (ev.framed_addr !== undefined) r.framed_addr = ev.framed_addr;
  if (ev.tunnel_client !== undefined) r.tunnel_client = ev.tunnel_client;
  if (ev.connect_info !== undefined) r.connect_info = ev.connect_info;
  if (ev.reply_msg !== undefined) r.reply_msg = ev.reply_msg;
  r.result = ev.result;
  if (ev.ttl !== undefined) r.ttl = ev.ttl;
  return { log: 'radius', record: r };
};

export const RADIUS_LOGS: Record<string, LogMapper> = { 'radius.auth': radiusAuth };
