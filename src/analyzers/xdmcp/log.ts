// xdmcp.log: one line per XDMCP flow (wardline's; Zeek has no XDMCP analyzer): the messages,
// the display manager's host name and status, the X terminal's display number, addresses,
// manufacturer's display id and the authorization it asked for, the session's outcome, and
// `authorization: <redacted>` when the display's authorization data (its cookie) went by in clear.
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';
import { REDACTED } from '../secret.js';

const FIELDS = [
  'messages',
  'queries',
  'manager_orig',
  'auth_offered',
  'hostname',
  'status',
  'display_number',
  'addresses',
  'manufacturer_display_id',
  'authorization_requested',
  'authorization_name',
  'display_class',
  'outcome',
  'reason',
] as const;

const session: LogMapper = (ev, c) => {
  if (c === null) return null;
  const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
  for (const f of FIELDS) {
    const v = ev[f];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (f === 'queries' && v === 0)) continue;
    r[f] = v;
  }
  if (ev.has_authorization === true) r.authorization = REDACTED;
  return { log: 'xdmcp', record: r };
};

export const XDMCP_LOGS: Record<string, LogMapper> = { 'xdmcp.session': session };
