// rtsp.log, wardline's own (Zeek has no RTSP log): one line per request and its response, in
// PRODUCT.md's field order. URIs are logged without their user:password@ part, and a password
// is never logged: a transaction that carried one (Basic or in the URI) shows "<redacted>".
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { RtspTransaction } from './events.js';

const FIELDS = ['method', 'uri', 'cseq', 'status_code', 'status_msg', 'user_agent', 'server', 'auth_scheme', 'username'] as const;
const FIELDS2 = ['session', 'transport', 'content_type'] as const;

export const RTSP_LOGS: Record<string, LogMapper> = {
  'rtsp.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as RtspTransaction;
    const r: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec, ev.tsNsec)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) r[k] = ev[k];
    if (ev.password_sent) r.password = REDACTED;
    for (const k of FIELDS2) if (ev[k] !== undefined) r[k] = ev[k];
    return { log: 'rtsp', record: r };
  },
};
