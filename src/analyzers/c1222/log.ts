// c1222.log: one line per ANSI C12.22 connection or UDP flow (wardline's; Zeek has no C12.22
// analyzer): the AP titles and invocation ids of both ends, the EPSEM security modes and response
// controls, and — for messages in clear — the services, tables read and written, the logon user
// and "<redacted>" for a password.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = ['called_ap_titles', 'calling_ap_titles', 'called_ap_invocation_ids', 'calling_ap_invocation_ids', 'security_modes', 'response_controls', 'services', 'tables', 'user', 'password', 'messages'] as const;

export const C1222_LOGS: Record<string, LogMapper> = { 'c1222.session': summaryMapper('c1222', FIELDS) };
