// login.log, wardline's own (PRODUCT.md "login"): one line per login attempt over Telnet or
// rlogin: user, success, password ("<redacted>" when one was typed), terminal and greeting.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { LoginAttempt } from './events.js';

export const LOGIN_LOGS: Record<string, LogMapper> = {
  'login.attempt': (e, c) => {
    if (c === null) return null;
    const ev = e as LoginAttempt;
    const r = connHeader(c, ev.tsSec, ev.tsNsec);
    r.service = ev.service;
    if (ev.user !== undefined) r.user = ev.user;
    if (ev.client_user !== undefined) r.client_user = ev.client_user;
    if (ev.success !== undefined) r.success = ev.success;
    if (ev.password_sent) r.password = REDACTED;
    if (ev.client_banner !== undefined) r.client_banner = ev.client_banner;
    if (ev.server_banner !== undefined) r.server_banner = ev.server_banner;
    return { log: 'login', record: r };
  },
};
