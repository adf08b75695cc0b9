// kerberos.log (Zeek's base/protocols/krb/main.zeek): one line per exchange with Zeek's field
// names, plus wardline's request_ciphers (what the client offered), weak_cipher (the ticket is
// DES or RC4, crackable offline) and, for AS requests, preauth (whether the request carried
// pre-authentication).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { KrbTransactionEvent } from './events.js';

const FIELDS = ['request_type', 'client', 'service', 'success', 'error_msg', 'from', 'till', 'cipher', 'forwardable', 'renewable', 'request_ciphers', 'weak_cipher', 'preauth'] as const;
const TIMES = new Set(['from', 'till']);

const transaction: LogMapper = (e, c) => {
  const ev = e as KrbTransactionEvent;
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec, ev.tsNsec);
  for (const f of FIELDS) {
    const v = ev[f];
    if (v === undefined) continue;
    r[f] = TIMES.has(f) ? Number((v as number).toFixed(6)) : v;
  }
  return { log: 'kerberos', record: r };
};

export const KRB_LOGS: Record<string, LogMapper> = { 'krb.transaction': transaction };
