// slp.log: one line per SLP exchange (wardline's; Zeek has no SLP analyzer): a request and its
// reply paired by XID, or a message alone. Version, function and reply, XID, language, the
// request's multicast flag, service type, scopes, predicate, naming authority, the URL asked
// about, the URLs answered, registered or advertised with their lifetimes, service types,
// attribute tags with the values of identity attributes only (ESXi's product, a printer's make
// and model), tags, error code, and which side is the agent.
import type { LogMapper } from '../logs.js';
import { connHeader, putSet } from '../connid.js';
import type { SlpMessageEvent } from './events.js';

const slpLog: LogMapper = (e, c) => {
  if (c === null) return null;
  const ev = e as SlpMessageEvent;
  const rec = connHeader(c, ev.tsSec, ev.tsNsec);
  rec.is_orig = ev.is_orig;
  rec.version = ev.version;
  rec.function = ev.function;
  putSet(rec, { reply: ev.reply });
  rec.xid = ev.xid;
  putSet(rec, { lang: ev.lang });
  if (ev.multicast) rec.multicast = true;
  if (ev.overflow) rec.overflow = true;
  if (ev.fresh) rec.fresh = true;
  putSet(rec, {
    service_type: ev.service_type,
    scopes: ev.scopes,
    predicate: ev.predicate,
    naming_authority: ev.naming_authority,
    url: ev.url,
    urls: ev.urls,
    lifetimes: ev.urls.length > 0 ? ev.lifetimes : undefined,
    service_types: ev.service_types,
    attributes: ev.attributes,
    attribute_values: ev.attribute_values,
    tags: ev.tags,
    error: ev.error,
  });
  if (ev.agent_is_orig !== undefined) rec.agent = ev.agent_is_orig ? 'orig' : 'resp';
  if (ev.answered === true) rec.answered = true;
  if (ev.retransmissions > 0) rec.retransmissions = ev.retransmissions;
  return { log: 'slp', record: rec };
};

export const SLP_LOGS: Record<string, LogMapper> = { 'slp.message': slpLog };
