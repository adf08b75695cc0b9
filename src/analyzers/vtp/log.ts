// vtp.log: one line per VTP message (Zeek parses none; the fields are Wireshark's vtp fields):
// the sending port's MAC and VLAN, version, code (summary, subset, request, join), management
// domain, configuration revision, updater identity and timestamp, followers, a subset's
// sequence number and its VLANs as "id:name" (a suspended one marked so), a request's start
// value. What a network team checks when VLANs vanish: which revision won, and who sent it.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { VtpMessage } from './events.js';

const vtpLog: LogMapper = (e, _c, m) => {
  const ev = e as VtpMessage;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src };
  putSet(rec, {
    vlan: ev.vlan,
    version: ev.version,
    code: ev.code,
    domain: ev.domain,
    revision: ev.revision,
    updater: ev.updater,
    update_ts: ev.update_ts,
    followers: ev.followers,
    sequence: ev.sequence,
    vlans: ev.vlans?.map((v) => `${v.id}:${v.name}${v.suspended ? ' (suspended)' : ''}`),
    start_value: ev.start_value,
  });
  rec.packet = ev.packet;
  return { log: 'vtp', record: rec };
};

export const VTP_LOGS: Record<string, LogMapper> = { 'vtp.message': vtpLog };
