// multicast.log: IGMP and MLD messages, the first of each kind per sender and group set (Zeek
// logs neither; the fields are Wireshark's igmp and mld fields): sender address and MAC, VLAN,
// destination, protocol and version, message type (query, report, leave), a query's group and
// maximum response time, a report's groups as "group:record" (join, leave, or the v3 record
// type, with sources after a slash). Which groups a device listens to says what it runs.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { MembershipEvent } from './events.js';

const membershipLog: LogMapper = (e, _c, m) => {
  const ev = e as MembershipEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), src: ev.src, mac_src: ev.mac_src };
  putSet(rec, {
    vlan: ev.vlan,
    dst: ev.dst,
    protocol: ev.protocol,
    version: ev.version,
    msg_type: ev.msg_type,
    group: ev.group,
    max_resp_ms: ev.max_resp_ms,
    groups: ev.records?.map((g) => `${g.group}:${g.record}${g.sources !== undefined ? `/${g.sources.join(',')}` : ''}`),
    bad: ev.bad,
  });
  rec.packet = ev.packet;
  return { log: 'multicast', record: rec };
};

export const MULTICAST_LOGS: Record<string, LogMapper> = { 'multicast.membership': membershipLog };
