// vrrp.log: one line per VRRP advertisement (Zeek parses none; the fields are RFC 5798's names):
// the router and its MAC, TTL, version, virtual router id, priority, virtual addresses, interval,
// version 2's authentication type (a text password shown only as <redacted>), and `bad` when a
// router would discard it.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { VrrpEvent } from './events.js';

const vrrpLog: LogMapper = (e, _c, m) => {
  const ev = e as VrrpEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), router: ev.router, mac_src: ev.mac_src, ttl: ev.ttl, version: ev.version, vrid: ev.vrid, priority: ev.priority, addresses: ev.addresses, interval: ev.interval };
  putSet(rec, { auth: ev.auth, password: ev.auth === 'text' ? '<redacted>' : undefined, tunneled: ev.tunneled, bad: ev.bad });
  rec.packet = ev.packet;
  return { log: 'vrrp', record: rec };
};

export const VRRP_LOGS: Record<string, LogMapper> = { 'vrrp.message': vrrpLog };
