// kerberos.log (Zeek's base/protocols/krb/main.zeek): one line per exchange with Zeek's field
// names, plus wardline's request_ciphers (what the client offered) and weak_cipher (the ticket is
// DES or RC4, crackable offline).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { KrbTransactionEvent } from './events.js';

const FIELDS = ['request_type', 'client', 'service', 'success', 'error_msg', 'from', 'till', 'cipher', 'forwardable', 'renewable', 'request_ciphers', 'weak_cipher'] as const;
const TIMES = new Set(['from', 'till']);

const transaction: LogMapper = (e, c) => {
  const ev = e as KrbTransactionEvent;
  if (c === null) return null;
  const r: Record<string, unknown> = {
    ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
    uid: connUid(c),
    'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
    'id.orig_p': c.oPort,
    'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
    'id.resp_p': c.rPort,
  };
  for (const f of FIELDS) {
    const v = ev[f];
    if (v === undefined) continue;
    r[f] = TIMES.has(f) ? Number((v as number).toFixed(6)) : v;
  }
  return { log: 'kerberos', record: r };
};

export const KRB_LOGS: Record<string, LogMapper> = { 'krb.transaction': transaction };
