// rdpeudp.log: one line per RDP-UDP transport (wardline's; Zeek's rdpeudp analyzer raises events
// and names the service but writes no log). The timestamp is the client's SYN (the first
// datagram of a transport joined mid-session).
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'client_version', 'established', 'midstream', 'lossy', 'mtu_up', 'mtu_down', 'correlation_id', 'security', 'server_name'] as const;

export const RDPEUDP_LOGS: Record<string, LogMapper> = { 'rdpeudp.session': summaryMapper('rdpeudp', FIELDS) };
