// wireguard.log: one line per WireGuard flow, with the fields of Corelight's wireguard.log
// (established, initiations, responses) and the cookie replies and transport packets seen.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['established', 'initiations', 'responses', 'cookie_replies', 'transport_packets'] as const;

export const WIREGUARD_LOGS: Record<string, LogMapper> = { 'wireguard.session': summaryMapper('wireguard', FIELDS) };
