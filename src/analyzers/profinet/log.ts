// profinet_dcp.log (wardline's own): one line per DCP PDU: ts, src_mac, dst_mac, frame
// (identify request/response, get, set, hello), service, service_type, xid, the station's
// identity (name_of_station, type_of_station, vendor_id, device_id, device_role, alias, …), its
// IP parameter, and for a Set request `set: true` with what it changes (set_options).
// profinet_rt.log: one line per cyclic real-time stream or alarm channel, at its first frame.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { ProfinetDcp, ProfinetRt } from './events.js';

const dcpLog: LogMapper = (e, _c, m) => {
  const ev = e as ProfinetDcp;
  const { type: _t, packet, ...rest } = ev;
  const rec = putSet({ ts: Number(formatTime(m.tsSec, m.tsNsec)) }, rest);
  rec.packet = packet;
  return { log: 'profinet_dcp', record: rec };
};

const rtLog: LogMapper = (e, _c, m) => {
  const ev = e as ProfinetRt;
  const { type: _t, packet, ...rest } = ev;
  const rec = putSet({ ts: Number(formatTime(m.tsSec, m.tsNsec)) }, rest);
  rec.packet = packet;
  return { log: 'profinet_rt', record: rec };
};

export const PROFINET_LOGS: Record<string, LogMapper> = { 'profinet.dcp': dcpLog, 'profinet.rt': rtLog };
