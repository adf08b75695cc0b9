// snmp.log with Zeek's fields (base/protocols/snmp/main.zeek), one line per session. Unlike
// Zeek, the v1/v2c community is never written: it shows as "<redacted>". For v3 Zeek fills
// `community` with the USM user name, which is not a secret, and so does wardline.
import { REDACTED } from '../secret.js';
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import type { SnmpSession } from './events.js';

export const SNMP_LOGS: Record<string, LogMapper> = {
  'snmp.session': (e, c) => {
    if (c === null) return null;
    const ev = e as SnmpSession;
    const rec = connHeader(c, ev.tsSec, ev.tsNsec);
    rec.duration = Number(ev.duration.toFixed(6));
    rec.version = ev.version;
    if (ev.has_community) rec.community = REDACTED;
    else if (ev.user !== undefined) rec.community = ev.user;
    rec.get_requests = ev.get_requests;
    rec.get_bulk_requests = ev.get_bulk_requests;
    rec.get_responses = ev.get_responses;
    rec.set_requests = ev.set_requests;
    if (ev.display_string !== undefined) rec.display_string = ev.display_string;
    if (ev.up_since !== undefined) rec.up_since = Number(ev.up_since.toFixed(6));
    return { log: 'snmp', record: rec };
  },
};
