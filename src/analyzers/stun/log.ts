// stun.log: one line per STUN/TURN flow (wardline's; Zeek's core has no STUN analyzer). The
// timestamp is the flow's first STUN message.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['methods', 'requests', 'responses', 'indications', 'error_codes', 'client_software', 'server_software', 'username', 'realm', 'mapped_address', 'relayed_address', 'channel_data'] as const;

export const STUN_LOGS: Record<string, LogMapper> = { 'stun.session': summaryMapper('stun', FIELDS) };
