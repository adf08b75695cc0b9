// dtp.log: one line per DTP advertisement (Zeek parses none; the fields are Wireshark's dtp
// fields, named as `show dtp interface` does): the sending port's MAC and VLAN, the VTP domain,
// the trunk status (access or trunk), the administrative mode (on, off, desirable, auto), the
// operating and administrative encapsulations, and the sender id. What a network team checks:
// which ports still negotiate trunks, and who asked for one.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { DtpMessage } from './events.js';

const dtpLog: LogMapper = (e, _c, m) => {
  const ev = e as DtpMessage;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src };
  putSet(rec, {
    vlan: ev.vlan,
    version: ev.version,
    domain: ev.domain,
    trunk_status: ev.trunk_status,
    trunk_mode: ev.trunk_mode,
    trunk_encapsulation: ev.trunk_encapsulation,
    trunk_admin_encapsulation: ev.trunk_admin_encapsulation,
    sender_id: ev.sender_id,
  });
  rec.packet = ev.packet;
  return { log: 'dtp', record: rec };
};

export const DTP_LOGS: Record<string, LogMapper> = { 'dtp.message': dtpLog };
