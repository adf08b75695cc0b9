// rdp.log with Zeek's field names (base/protocols/rdp).
import { formatAddr } from '../../decode/packet.js';
import { connUid } from '../../flow/uid.js';
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';

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
    const rec: Record<string, unknown> = {
      ts: Number(formatTime(ev.tsSec as number, ev.tsNsec as number)),
      uid: connUid(c),
      'id.orig_h': formatAddr(c.o0, c.o1, c.o2, c.o3),
      'id.orig_p': c.oPort,
      'id.resp_h': formatAddr(c.r0, c.r1, c.r2, c.r3),
      'id.resp_p': c.rPort,
    };
    for (const k of FIELDS) if (ev[k] !== undefined) rec[k] = ev[k];
    return { log: 'rdp', record: rec };
  },
};
