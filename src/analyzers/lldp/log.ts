// lldp.log: one line per LLDP advertisement: ts, mac_src, chassis_id, port_id, ttl, the
// descriptions, capabilities, management addresses, port VLAN and LLDP-MED inventory.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { LldpNeighbor } from './events.js';

const lldpLog: LogMapper = (e, _c, m) => {
  const ev = e as LldpNeighbor;
  const { type: _t, packet, ...rest } = ev;
  const rec = putSet({ ts: Number(formatTime(m.tsSec, m.tsNsec)) }, rest);
  rec.packet = packet;
  return { log: 'lldp', record: rec };
};

export const LLDP_LOGS: Record<string, LogMapper> = { 'lldp.neighbor': lldpLog };
