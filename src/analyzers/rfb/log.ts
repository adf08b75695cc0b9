// rfb.log with Zeek's fields (base/protocols/rfb/main.zeek), written at ServerInit or when the
// connection ends. wardline adds `failure_reason` when the server sent one.
import type { LogMapper } from '../logs.js';
import type { RfbSession } from './events.js';
import { connHeader } from '../connid.js';

const FIELDS = [
  'client_major_version',
  'client_minor_version',
  'server_major_version',
  'server_minor_version',
  'authentication_method',
  'auth',
  'share_flag',
  'desktop_name',
  'width',
  'height',
  'failure_reason',
] as const;

export const RFB_LOGS: Record<string, LogMapper> = {
  'rfb.session': (e, c) => {
    if (c === null) return null;
    const ev = e as RfbSession;
    const rec: Record<string, unknown> = connHeader(c, ev.tsSec, ev.tsNsec);
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'rfb', record: rec };
  },
};
