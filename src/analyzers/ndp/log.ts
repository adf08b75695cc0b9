// ndp.log: one line per IPv6 Neighbor Discovery message (Zeek raises ND events but logs none;
// the fields are RFC 4861's and RFC 4191/8106's names, as arp.log's are RFC 826's): who sent it
// (src, mac_src) to whom, the message type and hop limit, the target and link-layer address, a
// router advertisement's flags, lifetimes, prefixes, routes, DNS servers and search list, and
// `bad` when a host would discard it.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { NdEvent } from './events.js';

const ndpLog: LogMapper = (e, _c, m) => {
  const ev = e as NdEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src, mac_dst: ev.mac_dst, src: ev.src, dst: ev.dst, msg_type: ev.msg_type, hop_limit: ev.hop_limit };
  putSet(rec, {
    target: ev.target,
    destination: ev.destination,
    lladdr: ev.lladdr,
    router: ev.router,
    solicited: ev.solicited,
    override: ev.override,
    cur_hop_limit: ev.cur_hop_limit,
    managed: ev.managed,
    other: ev.other,
    preference: ev.preference,
    router_lifetime: ev.router_lifetime,
    reachable_time: ev.reachable_time,
    retrans_timer: ev.retrans_timer,
    prefixes: ev.prefixes,
    prefix_info: ev.prefix_info,
    mtu: ev.mtu,
    routes: ev.routes,
    rdnss: ev.rdnss,
    dnssl: ev.dnssl,
    captive_portal: ev.captive_portal,
    secured: ev.secured,
    tunneled: ev.tunneled,
    bad: ev.bad,
  });
  rec.packet = ev.packet;
  return { log: 'ndp', record: rec };
};

export const NDP_LOGS: Record<string, LogMapper> = { 'ndp.message': ndpLog };
