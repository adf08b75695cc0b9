// zabbix.log: one line per Zabbix request and response (wardline's; Zeek has no Zabbix
// analyzer): passive or active, the request, which side is the agent, the host name and agent
// version it states, the item keys asked for or sent, the values of the identity keys only
// (agent.version, agent.hostname, system.hostname, system.uname, system.sw.os), the response
// status, and whether the messages were compressed. Never another item's value.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'mode',
  'request',
  'agent_side',
  'host',
  'agent_version',
  'agent_variant',
  'agent_ip',
  'agent_port',
  'has_host_metadata',
  'keys',
  'items',
  'agent_hostname',
  'system_hostname',
  'system_uname',
  'system_sw_os',
  'response',
  'response_info',
  'compressed',
  'large',
  'headerless',
  'truncated',
] as const;

export const ZABBIX_LOGS: Record<string, LogMapper> = { 'zabbix.transaction': summaryMapper('zabbix', FIELDS) };
