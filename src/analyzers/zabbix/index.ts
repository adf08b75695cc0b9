// The Zabbix analyzer's registration: TCP 10050 (agent, passive checks) and 10051 (server or
// proxy, active checks and senders), or any port by the ZBXD header.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { ZabbixAnalyzer } from './analyzer.js';
import { ZABBIX_AGENT_PORT, ZABBIX_SERVER_PORT } from './parse.js';
import { probe } from './probe.js';

export const ZABBIX: AnalyzerSpec = {
  name: 'zabbix',
  tcp: true,
  udp: false,
  ports: [ZABBIX_AGENT_PORT, ZABBIX_SERVER_PORT],
  probe,
  firstBytes: bytesOf('Z'),
  create: () => new ZabbixAnalyzer(),
};
