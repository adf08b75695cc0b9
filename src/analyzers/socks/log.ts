// socks.log with Zeek's fields (base/protocols/socks/main.zeek): `request.host`,
// `request.name`, `request_p`, `bound.host` … Zeek leaves the password out by default; wardline
// writes "<redacted>" when one was sent, and adds `auth_method` (Zeek's method names).
import { REDACTED } from '../secret.js';
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { SocksSession } from './events.js';

export const SOCKS_LOGS: Record<string, LogMapper> = {
  'socks.session': (e, c) => {
    if (c === null) return null;
    const ev = e as SocksSession;
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
    rec.version = ev.version;
    if (ev.user !== undefined) rec.user = ev.user;
    if (ev.password_sent) rec.password = REDACTED;
    if (ev.status !== undefined) rec.status = ev.status;
    if (ev.request_host !== undefined) rec['request.host'] = ev.request_host;
    if (ev.request_name !== undefined) rec['request.name'] = ev.request_name;
    if (ev.request_p !== undefined) rec.request_p = ev.request_p;
    if (ev.bound_host !== undefined) rec['bound.host'] = ev.bound_host;
    if (ev.bound_name !== undefined) rec['bound.name'] = ev.bound_name;
    if (ev.bound_p !== undefined) rec.bound_p = ev.bound_p;
    if (ev.auth_method !== undefined) rec.auth_method = ev.auth_method;
    return { log: 'socks', record: rec };
  },
};
