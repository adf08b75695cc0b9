// icmp.log: one line per ICMP redirect, router advertisement or router solicitation on IPv4 (Zeek
// raises icmp_redirect and router events but logs none; the fields are RFC 792's and RFC 1256's
// names, as ndp.log's are RFC 4861's): who sent it (src, mac_src) to whom, type, code and TTL, a
// redirect's gateway and the datagram it was about, an advertisement's lifetime, addresses and
// preference levels, and `bad` when its receiver would discard it.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { IcmpEvent } from './events.js';

const icmpLog: LogMapper = (e, _c, m) => {
  const ev = e as IcmpEvent;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src, mac_dst: ev.mac_dst, src: ev.src, dst: ev.dst, msg_type: ev.msg_type, code: ev.code, ttl: ev.ttl };
  putSet(rec, {
    redirect_for: ev.redirect_for,
    gateway: ev.gateway,
    orig_src: ev.orig_src,
    orig_dst: ev.orig_dst,
    orig_proto: ev.orig_proto,
    orig_sport: ev.orig_sport,
    orig_dport: ev.orig_dport,
    lifetime: ev.lifetime,
    routers: ev.routers,
    preferences: ev.preferences,
    tunneled: ev.tunneled,
    bad: ev.bad,
  });
  rec.packet = ev.packet;
  return { log: 'icmp', record: rec };
};

export const ICMP_LOGS: Record<string, LogMapper> = { 'icmp.message': icmpLog };
