// http.log in Zeek's field order (base/protocols/http/main.zeek) from http.transaction events.
// Wardline extras: `server` (Server header), `auth_scheme` (Authorization scheme) and
// `www_authenticate` (challenge schemes offered), `dicomweb` (the DICOMweb service: QIDO-RS,
// WADO-RS, STOW-RS, UPS-RS, WADO-URI; its search values are redacted in `uri`). `resp_mime_types` comes from Content-Type,
// not from sniffing the body as Zeek's file analysis does (files.log's mime_type is sniffed);
// orig_fuids/resp_fuids name the bodies' files.log lines. A password is never logged: a
// transaction that carried one shows "<redacted>".
import { connHeader, summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { HttpTransaction } from './events.js';

const OPTIONAL = ['method', 'host', 'uri', 'referrer', 'version', 'user_agent', 'origin'] as const;
const OPTIONAL2 = ['status_code', 'status_msg', 'info_code', 'info_msg', 'username'] as const;

export const HTTP_LOGS: Record<string, LogMapper> = {
  'http.transaction': (e, c) => {
    if (c === null) return null;
    const ev = e as HttpTransaction;
    const r = connHeader(c, ev.tsSec, ev.tsNsec);
    r.trans_depth = ev.trans_depth;
    for (const k of OPTIONAL) if (ev[k] !== undefined) r[k] = ev[k];
    r.request_body_len = ev.request_body_len;
    r.response_body_len = ev.response_body_len;
    for (const k of OPTIONAL2) if (ev[k] !== undefined) r[k] = ev[k];
    if (ev.password_sent) r.password = REDACTED;
    if (ev.orig_fuids !== undefined) r.orig_fuids = ev.orig_fuids;
    if (ev.orig_filenames !== undefined) r.orig_filenames = ev.orig_filenames;
    if (ev.resp_fuids !== undefined) r.resp_fuids = ev.resp_fuids;
    if (ev.resp_filenames !== undefined) r.resp_filenames = ev.resp_filenames;
    if (ev.resp_mime_types !== undefined) r.resp_mime_types = ev.resp_mime_types;
    if (ev.server !== undefined) r.server = ev.server;
    if (ev.auth_scheme !== undefined) r.auth_scheme = ev.auth_scheme;
    if (ev.www_authenticate !== undefined) r.www_authenticate = ev.www_authenticate;
    if (ev.dicomweb !== undefined) r.dicomweb = ev.dicomweb;
    return { log: 'http', record: r };
  },
  // websocket.log with Zeek's fields (base/protocols/websocket, Zeek 6.1+): the opening handshake.
  'websocket.handshake': summaryMapper('websocket', ['host', 'uri', 'user_agent', 'subprotocol', 'client_protocols', 'client_extensions', 'server_extensions']),
};
