// ldap.log and ldap_search.log with Zeek's field names (base/protocols/ldap).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

const MESSAGE_FIELDS = ['message_id', 'version', 'opcode', 'result', 'diagnostic_message', 'object', 'argument'] as const;
const SEARCH_FIELDS = ['message_id', 'scope', 'deref_aliases', 'base_object', 'result_count', 'result', 'diagnostic_message', 'filter', 'attributes'] as const;

function mapper(log: string, fields: readonly string[]): LogMapper {
  return (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of fields) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log, record: rec };
  };
}

export const LDAP_LOGS: Record<string, LogMapper> = {
  'ldap.message': mapper('ldap', MESSAGE_FIELDS),
  'ldap.search': mapper('ldap_search', SEARCH_FIELDS),
};
