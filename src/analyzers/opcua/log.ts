// opcua.log (wardline's own; Zeek has no OPC UA analyzer): one line per connection with the
// channel's security policy and mode, the server's ApplicationDescription, the session's identity
// token and user. A password is never logged: "<redacted>" when one was sent. `insecure` marks a
// channel with SecurityPolicy None (no signing, no encryption).
import { REDACTED } from '../secret.js';
import type { LogMapper } from '../logs.js';
import type { OpcuaSession } from './events.js';
import { connHeader } from '../connid.js';

const FIELDS = [
  'msg_types', 'protocol_version', 'endpoint_url', 'security_policy', 'security_policy_uri', 'security_mode', 'client_certificate', 'server_certificate',
  'services', 'application_uri', 'product_uri', 'application_name', 'application_type', 'client_application_uri', 'client_application_name',
  'session_name', 'identity_token', 'user',
] as const;

export const OPCUA_LOGS: Record<string, LogMapper> = {
  'opcua.session': (e, c) => {
    if (c === null) return null;
    const ev = e as OpcuaSession;
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
    for (const f of FIELDS) if (ev[f] !== undefined) rec[f] = ev[f];
    if (ev.password === true) rec.password = REDACTED;
    if (ev.password_encrypted === true) rec.password_encrypted = true;
    if (ev.status !== undefined) rec.status = ev.status;
    if (ev.error !== undefined) rec.error = ev.error;
    if (ev.error_reason !== undefined) rec.error_reason = ev.error_reason;
    if (ev.insecure === true) rec.insecure = true;
    return { log: 'opcua', record: rec };
  },
};
