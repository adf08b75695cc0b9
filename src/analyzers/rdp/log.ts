// rdp.log with Zeek's field names (base/protocols/rdp).
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';

const FIELDS = [
  'cookie',
  'result',
  'security_protocol',
  'client_channels',
  'keyboard_layout',
  'client_build',
  'client_name',
  'client_dig_product_id',
  'desktop_width',
  'desktop_height',
  'requested_color_depth',
  'cert_type',
  'cert_count',
  'cert_permanent',
  'encryption_level',
  'encryption_method',
] as const;

export const RDP_LOGS: Record<string, LogMapper> = {
  'rdp.session': (ev, c) => {
    if (c === null) return null;
    const rec: Record<string, unknown> = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'rdp', record: rec };
  },
};
