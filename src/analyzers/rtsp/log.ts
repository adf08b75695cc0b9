// rtsp.log, wardline's own (Zeek has no RTSP log): one line per request and its response, in
// PRODUCT.md's field order. URIs are logged without their user:password@ part, and a password
// is never logged: a transaction that carried one (Basic or in the URI) shows "<redacted>".
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { RtspTransaction } from './events.js';

const FIELDS = ['method', 'uri', 'cseq', 'status_code', 'status_msg', 'user_agent', 'server', 'auth_scheme', 'username'] as const;
const FIELDS2 = ['session', 'transport', 'content_type', 'sdp_session', 'sdp_tool', 'media'] as const;

export const RTSP_LOGS: Record<string, LogMapper> = {
  'rtsp.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as RtspTransaction;
    const r = connHeader(c, ev.tsSec, ev.tsNsec);
    for (const k of FIELDS) if (ev[k] !== undefined) r[k] = ev[k];
    if (ev.password_sent) r.password = REDACTED;
    for (const k of FIELDS2) if (ev[k] !== undefined) r[k] = ev[k];
    return { log: 'rtsp', record: r };
  },
};
