// megaco.log: one line per Megaco/H.248 transaction (wardline's; Zeek has no Megaco analyzer):
// who sent it (its mId), request/reply/pending/ack and transaction id, the contexts and the
// commands on terminations, errors, observed events (a fax tone, an off-hook), the media the SDP
// of Local/Remote descriptors sets up, and a ServiceChange's method, reason and profile (how a
// gateway registers: its profile names the gateway type).
import type { LogMapper } from '../logs.js';
import { connFields, putSet } from '../connid.js';
import type { MegacoTransactionEvent } from './events.js';

const megacoLog: LogMapper = (e, c, m) => {
  if (c === null) return null;
  const ev = e as MegacoTransactionEvent;
  const rec = connFields(c, m);
  rec.is_orig = ev.is_orig;
  rec.version = ev.version;
  rec.mid = ev.mid;
  rec.kind = ev.kind;
  putSet(rec, {
    transaction_id: ev.transaction_id,
    contexts: ev.contexts,
    commands: ev.commands,
    errors: ev.errors,
    observed_events: ev.observed_events,
    media: ev.media,
    media_addresses: ev.media_addresses,
    service_change_method: ev.service_change_method,
    service_change_reason: ev.service_change_reason,
    service_change_profile: ev.service_change_profile,
    service_change_version: ev.service_change_version,
    service_change_address: ev.service_change_address,
  });
  return { log: 'megaco', record: rec };
};

export const MEGACO_LOGS: Record<string, LogMapper> = { 'megaco.transaction': megacoLog };
