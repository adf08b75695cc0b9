// oracle.log: one line per Oracle Net connection set-up (wardline's; Zeek has no TNS analyzer;
// Arkime indexes the same oracle.host, oracle.service and oracle.user). The timestamp is the
// client's CONNECT.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'service_name', 'sid', 'program', 'client_host', 'user', 'server_host', 'server_port', 'result', 'error', 'server_version', 'redirect_host', 'redirect_port', 'encryption', 'integrity'] as const;

export const ORACLE_LOGS: Record<string, LogMapper> = { 'oracle.session': summaryMapper('oracle', FIELDS) };
