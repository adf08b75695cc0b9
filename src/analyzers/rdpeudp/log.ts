// rdpeudp.log: one line per RDP-UDP transport (wardline's; Zeek's rdpeudp analyzer raises events
// and names the service but writes no log). The timestamp is the client's SYN.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'client_version', 'established', 'lossy', 'mtu_up', 'mtu_down', 'correlation_id', 'security', 'server_name'] as const;

const session: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  for (const f of FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'rdpeudp', record: r };
};

export const RDPEUDP_LOGS: Record<string, LogMapper> = { 'rdpeudp.session': session };
