// ldap.log and ldap_search.log with Zeek's field names (base/protocols/ldap).
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';

const MESSAGE_FIELDS = ['message_id', 'version', 'opcode', 'result', 'diagnostic_message', 'object', 'argument'] as const;
const SEARCH_FIELDS = ['message_id', 'scope', 'deref_aliases', 'base_object', 'result_count', 'result', 'diagnostic_message', 'filter', 'attributes'] as const;

function mapper(log: string, fields: readonly string[]): LogMapper {
  return (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const k of fields) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log, record: rec };
  };
}

export const LDAP_LOGS: Record<string, LogMapper> = {
  'ldap.message': mapper('ldap', MESSAGE_FIELDS),
  'ldap.search': mapper('ldap_search', SEARCH_FIELDS),
};
