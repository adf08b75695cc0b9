// cdp.log: one line per CDP advertisement: ts, mac_src, version, ttl, device_id, addresses,
// port_id, capabilities, software_version, platform, native_vlan, voice_vlan, vtp_domain, duplex.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { CdpNeighbor } from './events.js';

const cdpLog: LogMapper = (e, _c, m) => {
  const ev = e as CdpNeighbor;
  const { type: _t, packet, ...rest } = ev;
  const rec = putSet({ ts: Number(formatTime(m.tsSec, m.tsNsec)) }, rest);
  rec.packet = packet;
  return { log: 'cdp', record: rec };
};

export const CDP_LOGS: Record<string, LogMapper> = { 'cdp.neighbor': cdpLog };
