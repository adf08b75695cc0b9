// pptp.log: one line per PPTP control connection (wardline's; Zeek's core has no PPTP analyzer):
// each side's host and vendor names, the control connection's and the first call's results, and
// whether a call connected.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'client_hostname', 'client_vendor', 'server_hostname', 'server_vendor', 'control_result', 'calls', 'call_result', 'established'] as const;

export const PPTP_LOGS: Record<string, LogMapper> = { 'pptp.session': summaryMapper('pptp', FIELDS) };
