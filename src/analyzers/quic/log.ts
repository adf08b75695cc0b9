// quic.log with Zeek's field names (base/protocols/quic), plus gQUIC's user agent. The
// timestamp is the connection's first QUIC packet.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'client_initial_dcid', 'client_scid', 'server_scid', 'server_name', 'client_protocol', 'user_agent', 'history'] as const;

export const QUIC_LOGS: Record<string, LogMapper> = { 'quic.session': summaryMapper('quic', FIELDS) };
