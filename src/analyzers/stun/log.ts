// stun.log: one line per STUN/TURN flow (wardline's; Zeek's core has no STUN analyzer). The
// timestamp is the flow's first STUN message.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['methods', 'requests', 'responses', 'indications', 'error_codes', 'client_software', 'server_software', 'username', 'realm', 'mapped_address', 'relayed_address', 'channel_data'] as const;

const session: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  for (const f of FIELDS) {
    const v = ev[f];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    r[f] = v;
  }
  return { log: 'stun', record: r };
};

export const STUN_LOGS: Record<string, LogMapper> = { 'stun.session': session };
