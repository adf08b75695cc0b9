// sip.log: Zeek's fields and order (base/protocols/sip/main.zeek, SIP::Info), one line per
// request/response pairing; `username` (the Digest user name) is wardline's addition.
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';
import type { SipTransaction } from './events.js';

const FIELDS = [
  'method',
  'uri',
  'date',
  'request_from',
  'request_to',
  'response_from',
  'response_to',
  'reply_to',
  'call_id',
  'seq',
  'subject',
  'request_path',
  'response_path',
  'user_agent',
  'status_code',
  'status_msg',
  'warning',
  'request_body_len',
  'response_body_len',
  'content_type',
  'username',
] as const;

export const SIP_LOGS: Record<string, LogMapper> = {
  'sip.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as SipTransaction;
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
    rec.trans_depth = ev.trans_depth;
    for (const f of FIELDS) if (ev[f] !== undefined) rec[f] = ev[f];
    return { log: 'sip', record: rec };
  },
};
