// quic.log with Zeek's field names (base/protocols/quic), plus gQUIC's user agent. The
// timestamp is the connection's first QUIC packet.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'client_initial_dcid', 'client_scid', 'server_scid', 'server_name', 'client_protocol', 'user_agent', 'history'] as const;

const session: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  for (const f of FIELDS) if (ev[f] !== undefined && ev[f] !== '') r[f] = ev[f];
  return { log: 'quic', record: r };
};

export const QUIC_LOGS: Record<string, LogMapper> = { 'quic.session': session };
