// mgcp.log: one line per MGCP transaction (wardline's; Zeek has no MGCP analyzer): who sent the
// command, its verb, transaction id and endpoint, the call and connection it concerns, the events
// and signals it requests or reports (names only: never dialled digits), a RestartInProgress's
// method, the codecs asked for or supported, the media its session descriptions set up, and the
// response code, commentary and round-trip time.
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import { formatInterval } from '../../report/logwriter.js';
import type { MgcpTransactionEvent } from './events.js';

const mgcpLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as MgcpTransactionEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  rec.is_orig = ev.is_orig;
  putSet(rec, {
    verb: ev.verb,
    transaction_id: ev.transaction_id,
    endpoint: ev.endpoint,
    version: ev.version,
    call_id: ev.call_id,
    connection_id: ev.connection_id,
    request_id: ev.request_id,
    notified_entity: ev.notified_entity,
    mode: ev.mode,
    requested_events: ev.requested_events,
    signals: ev.signals,
    observed_events: ev.observed_events,
    restart_method: ev.restart_method,
    restart_delay: ev.restart_delay,
    reason_code: ev.reason_code,
    specific_endpoint: ev.specific_endpoint,
    codecs: ev.codecs,
    capabilities: ev.capabilities,
    media: ev.media,
    media_addresses: ev.media_addresses,
    connection_params: ev.connection_params,
    response_code: ev.response_code,
    response_text: ev.response_text,
    rtt: ev.rtt_us !== undefined ? Number(formatInterval(ev.rtt_us)) : undefined,
  });
  if (ev.retransmissions > 0) rec.retransmissions = ev.retransmissions;
  return { log: 'mgcp', record: rec };
};

export const MGCP_LOGS: Record<string, LogMapper> = { 'mgcp.transaction': mgcpLog };
